// The byte encoding of WIT values that crosses the native pack ABI.
//
// The host and the SDK each generate Rust types from the same WIT with different generators
// (wasmtime and wit-bindgen), so this file is written once and included by both: each includer
// defines `wit` as a module that re-exports the generated `types` items and names the `estate`
// interface module `wit::estate`. Both sides then encode and decode the same bytes.
//
// Encoding, version 1 of the native ABI: integers little-endian at their WIT width, `bool` one
// byte, `string` a `u32` byte length then UTF-8, `list<T>` a `u32` count then the items,
// `option<T>` one tag byte then the value, an `enum` one byte with the case index in WIT order,
// `flags` a `u32` of bits in WIT order, and a `record` its fields in WIT order.

/// A value that crosses the native pack ABI.
pub trait Wire: Sized {
    /// Appends the encoding of `self` to `out`.
    fn put(&self, out: &mut Vec<u8>);
    /// Decodes one value from the front of `input`.
    fn take(input: &mut Input<'_>) -> Result<Self, WireError>;
}

/// Bytes that are being decoded.
pub struct Input<'a> {
    bytes: &'a [u8],
    offset: usize,
}

/// Bytes that do not decode as the expected value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    /// Byte offset of the value that failed.
    pub offset: usize,
    pub message: &'static str,
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for WireError {}

impl<'a> Input<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Input { bytes, offset: 0 }
    }

    fn error(&self, message: &'static str) -> WireError {
        WireError {
            offset: self.offset,
            message,
        }
    }

    fn bytes(&mut self, len: usize) -> Result<&'a [u8], WireError> {
        let end = self
            .offset
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| self.error("input ends inside a value"))?;
        let slice = &self.bytes[self.offset..end];
        self.offset = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N)?);
        Ok(out)
    }

    /// Reads a list length, rejecting one that cannot fit in the bytes left, so that a damaged
    /// length never makes the reader reserve memory for it.
    fn length(&mut self) -> Result<usize, WireError> {
        let len = u32::take(self)? as usize;
        if len > self.bytes.len() - self.offset {
            return Err(self.error("list length exceeds the input"));
        }
        Ok(len)
    }

    /// Fails unless every byte was read.
    pub fn finish(self) -> Result<(), WireError> {
        if self.offset == self.bytes.len() {
            Ok(())
        } else {
            Err(self.error("unexpected bytes after the value"))
        }
    }
}

/// Encodes a value into a new buffer.
pub fn encode<T: Wire>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.put(&mut out);
    out
}

/// Decodes a value that must fill `bytes` exactly.
pub fn decode<T: Wire>(bytes: &[u8]) -> Result<T, WireError> {
    let mut input = Input::new(bytes);
    let value = T::take(&mut input)?;
    input.finish()?;
    Ok(value)
}

macro_rules! wire_int {
    ($($ty:ty),*) => {$(
        impl Wire for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
                Ok(<$ty>::from_le_bytes(input.array()?))
            }
        }
    )*};
}
wire_int!(u32, u64, i64);

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
        match input.array::<1>()? {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(input.error("invalid bool")),
        }
    }
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u32).put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
        let len = input.length()?;
        let bytes = input.bytes(len)?;
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_owned()),
            Err(_) => Err(input.error("string is not UTF-8")),
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u32).put(out);
        for item in self {
            item.put(out);
        }
    }
    fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
        let len = input.length()?;
        let mut items = Vec::with_capacity(len);
        for _ in 0..len {
            items.push(T::take(input)?);
        }
        Ok(items)
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(value) => {
                out.push(1);
                value.put(out);
            }
        }
    }
    fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
        match input.array::<1>()? {
            [0] => Ok(None),
            [1] => Ok(Some(T::take(input)?)),
            _ => Err(input.error("invalid option tag")),
        }
    }
}

/// A record: its fields in order.
macro_rules! wire_record {
    ($($ty:ident $(:: $path:ident)* { $($field:ident),* $(,)? })*) => {$(
        impl Wire for $ty $(:: $path)* {
            fn put(&self, out: &mut Vec<u8>) {
                $(self.$field.put(out);)*
            }
            fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
                Ok($ty $(:: $path)* { $($field: Wire::take(input)?,)* })
            }
        }
    )*};
}

/// An enum: the index of its case. Every case is listed, in WIT order, which is also the order
/// of the generated Rust cases, so `as u8` gives the same index.
macro_rules! wire_enum {
    ($($ty:ident $(:: $path:ident)* { $($case:ident),* $(,)? })*) => {$(
        impl Wire for $ty $(:: $path)* {
            fn put(&self, out: &mut Vec<u8>) {
                out.push(*self as u8);
            }
            fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
                use $ty $(:: $path)* as Enum;
                const CASES: &[Enum] = &[$(Enum::$case),*];
                let [index] = input.array::<1>()?;
                CASES
                    .get(usize::from(index))
                    .copied()
                    .ok_or_else(|| input.error("invalid enum case"))
            }
        }
    )*};
}

wire_enum! {
    wit::Product { Qlikview, QlikSense }
    wit::Severity { Info, Warning, Blocker }
    wit::StatementKind {
        Load, Select, OdbcConnect, OledbConnect, CustomConnect, LibConnect, Disconnect, Store,
        Drop, Rename, Let, Set, Binary, Execute, Directory, Include, SectionAccess,
        SectionApplication, Qualify, Unqualify, MapUsing, Unmap, Trace, Sleep, Star, Tag, Untag,
        Comment, Alias, Search, NullAsValue, NullAsNull, Force, LoosenTable, Semantic, Declare,
        Derive, Call, Sub, EndSub, If, ElseIf, Else, EndIf, For, ForEach, Next, Do, Loop, Switch,
        Case, Default, EndSwitch, Exit, Rem, Expansion, AutoNumber, FlushLog, DirectQuery,
        SectionDirectQuery, SqlCatalog, ImportLive, Relationship, Dimension, Measure, Constrain,
        IncludeModel, InputField, Command, Unknown,
    }
    wit::SourceRole {
        LoadFrom, StoreInto, Binary, Include, MustInclude, Directory, FileFunction, FileList,
        DirList, ConnectString, SqlTable, Url, Resident, Execute,
    }
    wit::PathKind { Lib, Drive, Unc, Relative, Url, Dynamic, Table, Other }
    wit::estate::TriggerState { Success, Fail, Other }
    wit::estate::FileAccess { Read, Write, Binary }
    wit::estate::IncludeOutcome { Read, NotFound, DynamicPath, NoLocalFolder, Cycle, TooDeep }
}

/// The load prefixes, in WIT order: bit `i` of the encoding is `PREFIXES[i]`. The two
/// generators' flag types share only `empty`, `|`, `&` and `==`, so the code uses only those.
const PREFIXES: [wit::LoadPrefixes; 25] = [
    wit::LoadPrefixes::MAPPING,
    wit::LoadPrefixes::CONCATENATE,
    wit::LoadPrefixes::NOCONCATENATE,
    wit::LoadPrefixes::JOIN,
    wit::LoadPrefixes::KEEP,
    wit::LoadPrefixes::INNER,
    wit::LoadPrefixes::OUTER,
    wit::LoadPrefixes::LEFT,
    wit::LoadPrefixes::RIGHT,
    wit::LoadPrefixes::CROSSTABLE,
    wit::LoadPrefixes::GENERIC,
    wit::LoadPrefixes::HIERARCHY,
    wit::LoadPrefixes::HIERARCHY_BELONGS_TO,
    wit::LoadPrefixes::INTERVAL_MATCH,
    wit::LoadPrefixes::BUFFER,
    wit::LoadPrefixes::BUNDLE,
    wit::LoadPrefixes::INFO,
    wit::LoadPrefixes::ADD,
    wit::LoadPrefixes::REPLACE,
    wit::LoadPrefixes::MERGE,
    wit::LoadPrefixes::FIRST,
    wit::LoadPrefixes::SAMPLE,
    wit::LoadPrefixes::WHEN,
    wit::LoadPrefixes::UNLESS,
    wit::LoadPrefixes::ONLY,
];

impl Wire for wit::LoadPrefixes {
    fn put(&self, out: &mut Vec<u8>) {
        let mut bits = 0u32;
        if *self != wit::LoadPrefixes::empty() {
            for (index, prefix) in PREFIXES.iter().enumerate() {
                if *self & *prefix == *prefix {
                    bits |= 1 << index;
                }
            }
        }
        bits.put(out);
    }
    fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
        let bits = u32::take(input)?;
        if bits >> PREFIXES.len() != 0 {
            return Err(input.error("unknown load prefix bit"));
        }
        let mut prefixes = wit::LoadPrefixes::empty();
        for (index, prefix) in PREFIXES.iter().enumerate() {
            if bits & (1 << index) != 0 {
                #[allow(
                    clippy::assign_op_pattern,
                    reason = "wit-bindgen's flag types implement `|` but not `|=`"
                )]
                {
                    prefixes = prefixes | *prefix;
                }
            }
        }
        Ok(prefixes)
    }
}

impl Wire for wit::PluginError {
    fn put(&self, out: &mut Vec<u8>) {
        let (tag, message) = match self {
            wit::PluginError::InvalidConfig(message) => (0, message),
            wit::PluginError::Unsupported(message) => (1, message),
            wit::PluginError::Failed(message) => (2, message),
        };
        out.push(tag);
        message.put(out);
    }
    fn take(input: &mut Input<'_>) -> Result<Self, WireError> {
        let [tag] = input.array::<1>()?;
        let message = String::take(input)?;
        match tag {
            0 => Ok(wit::PluginError::InvalidConfig(message)),
            1 => Ok(wit::PluginError::Unsupported(message)),
            2 => Ok(wit::PluginError::Failed(message)),
            _ => Err(input.error("invalid plugin-error case")),
        }
    }
}

wire_record! {
    wit::Span { file, start, end, line, column, end_line, end_column }
    wit::Statement { kind, prefixes, span, keyword, tab }
    wit::SourceRef { statement, role, kind, path, resolved, connection, span }
    wit::FunctionCall { statement, name, span }
    wit::ScriptFile { path, text, encoding, included_from }
    wit::Script { files, statements, sources, function_names, functions, tabs }
    wit::DataConnection { id, name, connection_type, connection_string }
    wit::App { id, name, product, script, connections }
    wit::Location { file, line, column }
    wit::Finding { code, severity, message, location, remediation }
    wit::RuleInfo {
        code, name, title, default_severity, category, rationale, remediation, effort_minutes,
        reference_url, bad_example, good_example,
    }
    wit::PackInfo { id, version, description, rules }
    wit::estate::MacroModule { line_count, procedures, system_access, location }
    wit::estate::QlikviewTrigger { event, actions, location }
    wit::estate::QlikviewObject { id, object_type, sheet_id, location }
    wit::estate::QlikviewAlert { id, location }
    wit::estate::DocumentChain { action, target, location }
    wit::estate::QlikviewFeatures {
        macro_module, macro_actions, triggers, objects, alerts, document_chains, sheet_count,
    }
    wit::estate::ExtensionUse { name, objects, sheets, installed, location }
    wit::estate::CustomProperty { name, value }
    wit::estate::StreamInfo { id, name, custom_properties, app_count }
    wit::estate::UpstreamTask { task_id, task_name, app_id, task_type, on }
    wit::estate::ReloadTask {
        id, name, task_type, enabled, partial_reload, schedules, upstream, last_duration_ms,
        last_status, location,
    }
    wit::estate::Sizes { file_bytes, static_bytes, peak_reload_bytes, reload_cpu_ms, location }
    wit::estate::Usage { window_days, sessions, distinct_users, last_session }
    wit::estate::DataFile { location, access, size_bytes, local_path }
    wit::estate::IncludeResult { span, path, must, outcome }
    wit::estate::Lineage { upstream_apps, downstream_apps }
    wit::estate::AppDetails {
        id, guid, source, product_version, published, owner, has_section_access, stream,
        custom_properties, tags, extensions, qlikview, tasks, sizes, usage, lineage, data_files,
        includes,
    }
    wit::estate::SecurityRule {
        id, name, category, rule_type, rule, resource_filter, disabled, location,
    }
    wit::estate::SimilarApp { id, name, same_script, same_name }
}
