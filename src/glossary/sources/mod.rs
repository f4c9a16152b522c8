//! Readers for dictionary formats and services. Each one turns a broken file into warnings
//! naming the file and the place, and keeps working with what it could read.

pub mod dictd;
pub mod dictproto;
pub mod dictzip;
pub mod stardict;
pub mod tsv;
