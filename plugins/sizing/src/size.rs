//! Sizes and reload costs against the limits of Qlik Cloud tiers.

use qready_plugin_sdk::estate::AppDetails;
use qready_plugin_sdk::{PluginError, Rule, RuleFindings, Severity};
use serde::Deserialize;

const GIB: f64 = (1u64 << 30) as f64;

const CAPACITY: &str = "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Introduction/qcs-specs-capacity.htm";

/// Compares the app's size in memory with the tiers' limits.
pub const APP_SIZE: Rule = Rule {
    code: "QC501",
    name: "app-size",
    title: "App is larger in memory than the target tier allows",
    severity: Severity::Warning,
    category: "sizing",
    rationale: "Qlik Cloud limits an app's size in memory by capacity: 5 GB on the legacy Qlik \
                Sense Enterprise SaaS (and, by a third-party summary of Qlik's pricing, on \
                Starter), 10 GB on Qlik Cloud Analytics Premium and Enterprise, and up to 50 GB \
                with large app capacity, which is enabled per space. Qlik counts a GB as 2^30 \
                bytes. An app over the limit does not open: \"This app is too big \
                to be opened in this space\". The size is the data model after the last reload \
                (`staticByteSize`), else the size of the app file.\n\n\
                Options: `target-tier` (`starter`, `premium` or `large-app`; default \
                `starter`) and `limits-gib`, a table of the limit per tier in GiB (defaults \
                `starter = 5`, `premium = 10`, `large-app = 50`). Over the target tier's limit \
                is a warning that names the tier that fits; over every limit is a blocker.",
    remediation: "Shrink the app: drop unused fields, rows and tables, load QVDs optimized, or \
                  split it. Otherwise plan a space with the capacity the finding names.",
    effort_minutes: 240,
    reference_url: "https://help.qlik.com/en-US/migration/Content/Migration/qv-migrate-documents.htm",
    bad_example: "staticByteSize = 7,516,192,768 (7 GiB) on the Starter tier",
    good_example: "staticByteSize = 3,221,225,472 (3 GiB)",
};

/// Flags reloads that take longer than Qlik Cloud allows.
pub const RELOAD_DURATION: Rule = Rule {
    code: "QC502",
    name: "reload-duration",
    title: "Last reload took longer than Qlik Cloud allows",
    severity: Severity::Blocker,
    category: "sizing",
    rationale: "A Qlik Cloud reload fails after 3 hours on every tier, and a queued reload \
                fails after waiting 6 hours. A reload that comes close to the limit on the \
                current site has no margin in Qlik Cloud.\n\n\
                Options: `max-minutes` (all tiers, default 180) and `warn-ratio`, the share of \
                the limit above which the finding is a warning (default 0.8).",
    remediation: "Make the reload incremental, load QVDs optimized, or split it into apps that \
                  reload in sequence.",
    effort_minutes: 240,
    reference_url: "https://qlik.dev/manage/reloads",
    bad_example: "Last execution: 3 h 40 min",
    good_example: "Last execution: 25 min, incremental",
};

/// Compares the last reload's peak memory with the tiers' limits.
pub const PEAK_RELOAD_MEMORY: Rule = Rule {
    code: "QC503",
    name: "peak-reload-memory",
    title: "Last reload needed more memory than Qlik Cloud allows",
    severity: Severity::Blocker,
    category: "sizing",
    rationale: "On the standard capacity of every tier, Qlik Cloud gives a scheduled reload at \
                most 40 GB of peak memory, and a reload started by hand 10 GB. Large app \
                capacity raises the limits with the purchased capacity.\n\n\
                Options: `scheduled-gib` (default 40) and `manual-gib` (default 10). Over the \
                scheduled limit is a blocker; over the manual limit only, a warning.",
    remediation: "Reduce what the reload holds at once: drop tables as soon as they are joined, \
                  avoid large intermediate tables, and load incrementally.",
    effort_minutes: 180,
    reference_url: "https://help.qlik.com/en-US/migration/Content/Migration/qv-migrate-documents.htm",
    bad_example: "reload_meta.peak_memory_bytes = 48 GiB",
    good_example: "reload_meta.peak_memory_bytes = 6 GiB",
};

/// Flags data files larger than a space accepts.
pub const FILE_UPLOAD_LIMIT: Rule = Rule {
    code: "QC504",
    name: "file-upload-limit",
    title: "Data file is larger than a space accepts",
    severity: Severity::Blocker,
    category: "sizing",
    rationale: "A file uploaded to a space's DataFiles may be at most 100 GB, on every tier. \
                Larger QVDs or extracts have to stay on cloud storage or be split.\n\n\
                Option: `max-gib` (all tiers, default 100).",
    remediation: "Split the file (by year, region), or keep it on a cloud-storage connection \
                  such as Amazon S3 or Azure Storage.",
    effort_minutes: 60,
    reference_url: CAPACITY,
    bad_example: "LOAD * FROM [\\\\nas\\qvd\\Transactions.qvd] (qvd); // 140 GB",
    good_example: "LOAD * FROM [lib://S3 Archive/Transactions_2025.qvd] (qvd);",
};

/// Options of [`APP_SIZE`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct AppSizeOptions {
    /// The tier the apps will move to.
    pub target_tier: String,
    /// Size limit in memory per tier, in GiB.
    pub limits_gib: TierLimits,
}

/// Size limit in memory per tier, in GiB.
///
/// NOTE: Qlik's migration guide gives 5 GB for the legacy Qlik Sense Enterprise SaaS and 10 GB
/// for Premium and Enterprise. The 5 GB of Starter comes from a third-party summary, and the
/// limit of Qlik Cloud Analytics Standard was not found, so set `target-tier` to match the
/// contract.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TierLimits {
    /// Starter, and the legacy Qlik Sense Enterprise SaaS.
    #[serde(default = "starter_gib")]
    pub starter: f64,
    /// Premium and Enterprise tiers.
    #[serde(default = "premium_gib")]
    pub premium: f64,
    /// Large app capacity, enabled per space.
    #[serde(default = "large_app_gib")]
    pub large_app: f64,
}

fn starter_gib() -> f64 {
    5.0
}

fn premium_gib() -> f64 {
    10.0
}

fn large_app_gib() -> f64 {
    50.0
}

impl Default for AppSizeOptions {
    fn default() -> Self {
        AppSizeOptions {
            target_tier: "starter".to_owned(),
            limits_gib: TierLimits {
                starter: starter_gib(),
                premium: premium_gib(),
                large_app: large_app_gib(),
            },
        }
    }
}

impl AppSizeOptions {
    /// Tiers from smallest to largest, with their limit in GiB.
    fn tiers(&self) -> [(&'static str, f64); 3] {
        [
            ("starter", self.limits_gib.starter),
            ("premium", self.limits_gib.premium),
            ("large-app", self.limits_gib.large_app),
        ]
    }

    /// Rejects a target tier that is not one of the three.
    pub fn validate(&self, rule: &Rule) -> Result<(), PluginError> {
        if self
            .tiers()
            .iter()
            .any(|(name, _)| *name == self.target_tier)
        {
            return Ok(());
        }
        Err(PluginError::InvalidConfig(format!(
            "invalid options for rule {}: target-tier '{}' is not starter, premium or large-app",
            rule.code, self.target_tier
        )))
    }
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / GIB
}

pub fn app_size(
    details: &AppDetails,
    options: &AppSizeOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let sizes = &details.sizes;
    let (bytes, measure) = match (sizes.static_bytes, sizes.file_bytes) {
        (Some(bytes), _) => (bytes, "in memory"),
        (None, Some(bytes)) => (bytes, "on disk (no in-memory size known)"),
        (None, None) => return Ok(()),
    };
    let size = gib(bytes);
    let tiers = options.tiers();
    let target = tiers
        .iter()
        .position(|(name, _)| *name == options.target_tier)
        .unwrap_or(0);
    if size <= tiers[target].1 {
        return Ok(());
    }
    let fits = tiers[target..].iter().find(|(_, limit)| size <= *limit);
    let (target_name, target_limit) = tiers[target];
    match fits {
        Some((tier, limit)) => {
            hits.report(format!(
                "{size:.1} GiB {measure} is over the {target_limit} GiB limit of the \
                 {target_name} tier; it fits the {tier} tier ({limit} GiB)"
            ))
            .located(sizes.location.clone());
        }
        None => {
            hits.report(format!(
                "{size:.1} GiB {measure} is over every tier's limit, up to {} GiB with large \
                 app capacity",
                tiers[2].1
            ))
            .located(sizes.location.clone())
            .severity(Severity::Blocker);
        }
    }
    Ok(())
}

/// Options of [`RELOAD_DURATION`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DurationOptions {
    /// Maximum reload duration, in minutes, on all tiers.
    pub max_minutes: f64,
    /// Share of the limit above which a reload is a warning.
    pub warn_ratio: f64,
}

impl Default for DurationOptions {
    fn default() -> Self {
        DurationOptions {
            max_minutes: 180.0,
            warn_ratio: 0.8,
        }
    }
}

pub fn reload_duration(
    details: &AppDetails,
    options: &DurationOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for task in &details.tasks {
        let Some(duration) = task.last_duration_ms else {
            continue;
        };
        let minutes = duration as f64 / 60_000.0;
        if minutes > options.max_minutes {
            hits.report(format!(
                "task '{}' last reloaded for {minutes:.0} minutes, over Qlik Cloud's limit of {} \
                 minutes",
                task.name, options.max_minutes
            ))
            .located(task.location.clone());
        } else if minutes > options.max_minutes * options.warn_ratio {
            hits.report(format!(
                "task '{}' last reloaded for {minutes:.0} minutes, close to Qlik Cloud's limit \
                 of {} minutes",
                task.name, options.max_minutes
            ))
            .located(task.location.clone())
            .severity(Severity::Warning);
        }
    }
    Ok(())
}

/// Options of [`PEAK_RELOAD_MEMORY`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PeakOptions {
    /// Peak memory of a scheduled reload, in GiB, on the standard capacity of every tier.
    pub scheduled_gib: f64,
    /// Peak memory of a reload started by hand, in GiB, on the standard capacity of every tier.
    pub manual_gib: f64,
}

impl Default for PeakOptions {
    fn default() -> Self {
        PeakOptions {
            scheduled_gib: 40.0,
            manual_gib: 10.0,
        }
    }
}

pub fn peak_reload_memory(
    details: &AppDetails,
    options: &PeakOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let Some(bytes) = details.sizes.peak_reload_bytes else {
        return Ok(());
    };
    let peak = gib(bytes);
    if peak > options.scheduled_gib {
        hits.report(format!(
            "the last reload peaked at {peak:.1} GiB, over the {} GiB Qlik Cloud allows a \
             scheduled reload",
            options.scheduled_gib
        ))
        .located(details.sizes.location.clone());
    } else if peak > options.manual_gib {
        hits.report(format!(
            "the last reload peaked at {peak:.1} GiB: a scheduled reload fits, but one started \
             by hand fails over {} GiB",
            options.manual_gib
        ))
        .located(details.sizes.location.clone())
        .severity(Severity::Warning);
    }
    Ok(())
}

/// Options of [`FILE_UPLOAD_LIMIT`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct UploadOptions {
    /// Largest file a space accepts, in GiB, on all tiers.
    pub max_gib: f64,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions { max_gib: 100.0 }
    }
}

pub fn upload_limit(
    details: &AppDetails,
    options: &UploadOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for file in &details.data_files {
        let Some(bytes) = file.size_bytes else {
            continue;
        };
        let size = gib(bytes);
        if size > options.max_gib {
            hits.report(format!(
                "'{}' is {size:.1} GiB, over the {} GiB a space's DataFiles accepts",
                file.location, options.max_gib
            ))
            .located(details.sizes.location.clone());
        }
    }
    Ok(())
}
