//! A network: a named, ordered list of layers, as read from one file.

use crate::layer::Layer;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    pub name: String,
    pub layers: Vec<Layer>,
}
