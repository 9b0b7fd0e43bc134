//! Services built at start-up and shared through `AppState`.

pub mod execution;
