pub use roei_core;
