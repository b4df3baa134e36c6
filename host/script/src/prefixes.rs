//! The set of LOAD/SELECT prefixes of a statement.

use serde::Serialize;

/// Bit set of LOAD/SELECT prefixes. INNER/OUTER/LEFT/RIGHT qualify JOIN or KEEP; ONLY qualifies
/// ADD, REPLACE or MERGE; DYNAMIC marks a `$(…)` expansion in prefix position.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LoadPrefixes(pub u32);

impl LoadPrefixes {
    pub const NONE: LoadPrefixes = LoadPrefixes(0);
    pub const MAPPING: LoadPrefixes = LoadPrefixes(1 << 0);
    pub const CONCATENATE: LoadPrefixes = LoadPrefixes(1 << 1);
    pub const NOCONCATENATE: LoadPrefixes = LoadPrefixes(1 << 2);
    pub const JOIN: LoadPrefixes = LoadPrefixes(1 << 3);
    pub const KEEP: LoadPrefixes = LoadPrefixes(1 << 4);
    pub const INNER: LoadPrefixes = LoadPrefixes(1 << 5);
    pub const OUTER: LoadPrefixes = LoadPrefixes(1 << 6);
    pub const LEFT: LoadPrefixes = LoadPrefixes(1 << 7);
    pub const RIGHT: LoadPrefixes = LoadPrefixes(1 << 8);
    pub const CROSSTABLE: LoadPrefixes = LoadPrefixes(1 << 9);
    pub const GENERIC: LoadPrefixes = LoadPrefixes(1 << 10);
    pub const HIERARCHY: LoadPrefixes = LoadPrefixes(1 << 11);
    pub const HIERARCHY_BELONGS_TO: LoadPrefixes = LoadPrefixes(1 << 12);
    pub const INTERVAL_MATCH: LoadPrefixes = LoadPrefixes(1 << 13);
    pub const BUFFER: LoadPrefixes = LoadPrefixes(1 << 14);
    pub const BUNDLE: LoadPrefixes = LoadPrefixes(1 << 15);
    pub const INFO: LoadPrefixes = LoadPrefixes(1 << 16);
    pub const ADD: LoadPrefixes = LoadPrefixes(1 << 17);
    pub const REPLACE: LoadPrefixes = LoadPrefixes(1 << 18);
    pub const MERGE: LoadPrefixes = LoadPrefixes(1 << 19);
    pub const FIRST: LoadPrefixes = LoadPrefixes(1 << 20);
    pub const SAMPLE: LoadPrefixes = LoadPrefixes(1 << 21);
    pub const WHEN: LoadPrefixes = LoadPrefixes(1 << 22);
    pub const UNLESS: LoadPrefixes = LoadPrefixes(1 << 23);
    pub const ONLY: LoadPrefixes = LoadPrefixes(1 << 24);
    pub const SEMANTIC: LoadPrefixes = LoadPrefixes(1 << 25);
    pub const IMAGE_SIZE: LoadPrefixes = LoadPrefixes(1 << 26);
    pub const DYNAMIC: LoadPrefixes = LoadPrefixes(1 << 27);

    const NAMES: &'static [(LoadPrefixes, &'static str)] = &[
        (LoadPrefixes::MAPPING, "mapping"),
        (LoadPrefixes::CONCATENATE, "concatenate"),
        (LoadPrefixes::NOCONCATENATE, "noconcatenate"),
        (LoadPrefixes::JOIN, "join"),
        (LoadPrefixes::KEEP, "keep"),
        (LoadPrefixes::INNER, "inner"),
        (LoadPrefixes::OUTER, "outer"),
        (LoadPrefixes::LEFT, "left"),
        (LoadPrefixes::RIGHT, "right"),
        (LoadPrefixes::CROSSTABLE, "crosstable"),
        (LoadPrefixes::GENERIC, "generic"),
        (LoadPrefixes::HIERARCHY, "hierarchy"),
        (LoadPrefixes::HIERARCHY_BELONGS_TO, "hierarchy-belongs-to"),
        (LoadPrefixes::INTERVAL_MATCH, "interval-match"),
        (LoadPrefixes::BUFFER, "buffer"),
        (LoadPrefixes::BUNDLE, "bundle"),
        (LoadPrefixes::INFO, "info"),
        (LoadPrefixes::ADD, "add"),
        (LoadPrefixes::REPLACE, "replace"),
        (LoadPrefixes::MERGE, "merge"),
        (LoadPrefixes::FIRST, "first"),
        (LoadPrefixes::SAMPLE, "sample"),
        (LoadPrefixes::WHEN, "when"),
        (LoadPrefixes::UNLESS, "unless"),
        (LoadPrefixes::ONLY, "only"),
        (LoadPrefixes::SEMANTIC, "semantic"),
        (LoadPrefixes::IMAGE_SIZE, "image-size"),
        (LoadPrefixes::DYNAMIC, "dynamic"),
    ];

    /// true when every prefix of `other` is in `self`.
    pub fn contains(self, other: LoadPrefixes) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    pub fn insert(&mut self, other: LoadPrefixes) {
        self.0 |= other.0;
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Returns the kebab-case names of the prefixes in the set, e.g. `["left", "join"]`.
    pub fn iter_names(self) -> impl Iterator<Item = &'static str> {
        LoadPrefixes::NAMES
            .iter()
            .filter(move |(prefix, _)| self.contains(*prefix))
            .map(|(_, name)| *name)
    }
}

impl std::ops::BitOr for LoadPrefixes {
    type Output = LoadPrefixes;

    fn bitor(self, other: LoadPrefixes) -> LoadPrefixes {
        LoadPrefixes(self.0 | other.0)
    }
}

impl Serialize for LoadPrefixes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter_names())
    }
}
