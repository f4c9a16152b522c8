pub mod render {}
