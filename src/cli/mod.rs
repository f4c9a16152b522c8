pub mod render {}
pub mod lookup;
