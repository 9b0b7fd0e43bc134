//! Builders for the metadata records: component, input fields, output ports.
//!
//! The generated WIT records are used directly (no parallel types to keep in
//! sync); these impls only add defaults and chainable setters.

use crate::bindings::{CapabilityRequest, ComponentInfo, InputKind, InputSpec, OutputSpec, Value};

/// An input field of a component (the WIT `input-spec`).
pub type Input = InputSpec;
/// An output port of a component (the WIT `output-spec`).
pub type Output = OutputSpec;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl ComponentInfo {
    /// A component implementing Langflow node type `name` (`data.type` in flow
    /// JSON). Defaults: category `custom`, version `0.1.0`, no icon, no inputs.
    pub fn new(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            aliases: Vec::new(),
            display_name: display_name.into(),
            description: String::new(),
            icon: None,
            category: "custom".to_owned(),
            version: "0.1.0".to_owned(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            dynamic_inputs: false,
            capabilities: Vec::new(),
        }
    }

    /// Another node type this component answers to (e.g. `parser`).
    pub fn alias(mut self, alias: impl Into<String>) -> Self {
        self.aliases.push(alias.into());
        self
    }

    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// A Lucide icon name, as Langflow uses.
    pub fn icon(mut self, icon: impl Into<String>) -> Self {
        self.icon = Some(icon.into());
        self
    }

    /// Sidebar category: `inputs`, `outputs`, `prompts`, `processing`, ...
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = category.into();
        self
    }

    /// Semver of the component; pass `env!("CARGO_PKG_VERSION")`.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    pub fn input(mut self, input: Input) -> Self {
        self.inputs.push(input);
        self
    }

    pub fn output(mut self, output: Output) -> Self {
        self.outputs.push(output);
        self
    }

    /// Accept fields that `inputs` does not list (a Prompt's template variables).
    pub fn dynamic_inputs(mut self) -> Self {
        self.dynamic_inputs = true;
        self
    }

    /// Ask for the per-flow key-value store.
    pub fn needs_kv(mut self) -> Self {
        self.capabilities.push(CapabilityRequest::Kv);
        self
    }

    /// Ask to read the user's secret / global variable `name`.
    pub fn needs_secret(mut self, name: impl Into<String>) -> Self {
        self.capabilities
            .push(CapabilityRequest::Secret(name.into()));
        self
    }

    /// Ask for outgoing HTTP to `origin`, e.g. `https://api.example.com`.
    pub fn needs_http(mut self, origin: impl Into<String>) -> Self {
        self.capabilities
            .push(CapabilityRequest::HttpHost(origin.into()));
        self
    }
}

impl InputSpec {
    /// A field of any kind; prefer the named constructors below.
    pub fn new(kind: InputKind, name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            display_name: display_name.into(),
            info: String::new(),
            kind,
            input_types: Vec::new(),
            required: false,
            advanced: false,
            is_list: false,
            options: Vec::new(),
            default: None,
        }
    }

    /// One-line text (`MessageTextInput`, `StrInput`).
    pub fn text(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::Text, name, display_name)
    }

    /// Multi-line text (`MultilineInput`).
    pub fn multiline(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::Multiline, name, display_name)
    }

    /// A masked secret (`SecretStrInput`).
    pub fn secret(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::Secret, name, display_name)
    }

    pub fn integer(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::Integer, name, display_name)
    }

    pub fn float(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::Float, name, display_name)
    }

    pub fn boolean(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::Boolean, name, display_name)
    }

    /// One of `options` (`DropdownInput`).
    pub fn dropdown(
        name: impl Into<String>,
        display_name: impl Into<String>,
        options: &[&str],
    ) -> Self {
        Self::new(InputKind::Dropdown, name, display_name).options(options)
    }

    /// One of `options`, shown as tabs (`TabInput`).
    pub fn tab(name: impl Into<String>, display_name: impl Into<String>, options: &[&str]) -> Self {
        Self::new(InputKind::Tab, name, display_name).options(options)
    }

    /// A prompt template whose variables become extra inputs (`PromptInput`).
    pub fn prompt(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::Prompt, name, display_name)
    }

    /// Free-form JSON (`DictInput`).
    pub fn json(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::Json, name, display_name)
    }

    /// Only reachable through an edge carrying one of `input_types` (`HandleInput`).
    pub fn handle(
        name: impl Into<String>,
        display_name: impl Into<String>,
        input_types: &[&str],
    ) -> Self {
        Self::new(InputKind::Handle, name, display_name).input_types(input_types)
    }

    /// A file reference (`FileInput`).
    pub fn file(name: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self::new(InputKind::File, name, display_name)
    }

    /// Help text shown in the UI.
    pub fn info(mut self, info: impl Into<String>) -> Self {
        self.info = info.into();
        self
    }

    /// Langflow types an edge into this field may carry, e.g. `&["Message"]`.
    pub fn input_types(mut self, types: &[&str]) -> Self {
        self.input_types = strings(types);
        self
    }

    pub fn options(mut self, options: &[&str]) -> Self {
        self.options = strings(options);
        self
    }

    /// The host rejects the run when this field is missing or empty.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Hide the field under "advanced" in the UI.
    pub fn advanced(mut self) -> Self {
        self.advanced = true;
        self
    }

    /// The field takes several values (several edges, or a list).
    pub fn list(mut self) -> Self {
        self.is_list = true;
        self
    }

    /// The value used when the flow gives none (Langflow's `value=`).
    pub fn default_value(mut self, value: impl Into<Value>) -> Self {
        self.default = Some(value.into());
        self
    }
}

impl OutputSpec {
    /// Output port `name` carrying Langflow `types`, e.g. `&["Message"]`.
    pub fn new(name: impl Into<String>, display_name: impl Into<String>, types: &[&str]) -> Self {
        Self {
            name: name.into(),
            display_name: display_name.into(),
            types: strings(types),
        }
    }
}
