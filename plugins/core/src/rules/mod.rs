//! The pack's rules, one module per area; each rule is a `Rule` constant and one function.

pub mod connectors;
pub mod functions;
pub mod includes;
pub mod paths;
pub mod statements;

/// Qlik's migration guide for load scripts: what Qlik Cloud supports of each statement.
pub const MIGRATION_GUIDE: &str =
    "https://help.qlik.com/en-US/migration/Content/Global_Common/Migrate/migrate-load-scripts.htm";
