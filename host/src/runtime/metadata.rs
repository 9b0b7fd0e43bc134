//! Component metadata as the API shows it (what a UI draws from), converted
//! once from the WIT `component-info` at load time.

use serde::Serialize;
use utoipa::ToSchema;

use super::bindings::types::{CapabilityRequest, ComponentInfo, InputKind, InputSpec, OutputSpec};
use super::value::value_to_json;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComponentMeta {
    /// Langflow node type (`data.type`), e.g. `ChatInput`.
    pub name: String,
    pub aliases: Vec<String>,
    pub display_name: String,
    pub description: String,
    pub icon: Option<String>,
    pub category: String,
    pub version: String,
    pub inputs: Vec<InputMeta>,
    pub outputs: Vec<OutputMeta>,
    /// Accepts fields beyond `inputs` (a Prompt's template variables).
    pub dynamic_inputs: bool,
    pub capabilities: Vec<String>,
    /// Shipped with the server (false: loaded from the plugins folder).
    pub builtin: bool,
    /// SHA-256 of the `.wasm`.
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InputMeta {
    pub name: String,
    pub display_name: String,
    pub info: String,
    /// text, multiline, secret, integer, float, boolean, dropdown, tab, prompt, json, handle, file.
    pub kind: String,
    /// Langflow types an edge into this field may carry.
    pub input_types: Vec<String>,
    pub required: bool,
    pub advanced: bool,
    pub is_list: bool,
    pub options: Vec<String>,
    #[schema(value_type = Object)]
    pub default: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutputMeta {
    pub name: String,
    pub display_name: String,
    pub types: Vec<String>,
}

impl ComponentMeta {
    pub fn from_info(info: ComponentInfo, builtin: bool, sha256: String) -> Self {
        Self {
            name: info.name,
            aliases: info.aliases,
            display_name: info.display_name,
            description: info.description,
            icon: info.icon,
            category: info.category,
            version: info.version,
            inputs: info.inputs.into_iter().map(InputMeta::from).collect(),
            outputs: info.outputs.into_iter().map(OutputMeta::from).collect(),
            dynamic_inputs: info.dynamic_inputs,
            capabilities: info.capabilities.iter().map(capability_label).collect(),
            builtin,
            sha256,
        }
    }

    pub fn input(&self, name: &str) -> Option<&InputMeta> {
        self.inputs.iter().find(|input| input.name == name)
    }

    pub fn output(&self, name: &str) -> Option<&OutputMeta> {
        self.outputs.iter().find(|output| output.name == name)
    }
}

impl From<InputSpec> for InputMeta {
    fn from(spec: InputSpec) -> Self {
        Self {
            name: spec.name,
            display_name: spec.display_name,
            info: spec.info,
            kind: kind_label(spec.kind).to_owned(),
            input_types: spec.input_types,
            required: spec.required,
            advanced: spec.advanced,
            is_list: spec.is_list,
            options: spec.options,
            default: spec.default.as_ref().map(value_to_json).unwrap_or(serde_json::Value::Null),
        }
    }
}

impl From<OutputSpec> for OutputMeta {
    fn from(spec: OutputSpec) -> Self {
        Self { name: spec.name, display_name: spec.display_name, types: spec.types }
    }
}

fn kind_label(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Text => "text",
        InputKind::Multiline => "multiline",
        InputKind::Secret => "secret",
        InputKind::Integer => "integer",
        InputKind::Float => "float",
        InputKind::Boolean => "boolean",
        InputKind::Dropdown => "dropdown",
        InputKind::Tab => "tab",
        InputKind::Prompt => "prompt",
        InputKind::Json => "json",
        InputKind::Handle => "handle",
        InputKind::File => "file",
    }
}

fn capability_label(request: &CapabilityRequest) -> String {
    match request {
        CapabilityRequest::HttpHost(host) => format!("http:{host}"),
        CapabilityRequest::Kv => "kv".to_owned(),
        CapabilityRequest::Secret(name) => format!("secret:{name}"),
    }
}
