//! The rules: what each kind of change does to code that uses the generated crate, and so its
//! semver impact. `docs/diff.md` is the same table for readers; a test keeps the two in step.
//!
//! The reasons follow what `expand/` generates:
//! - required inputs (path parameters, required query and header parameters, a required body,
//!   the user token of user-only endpoints) are positional arguments of the resource method, in
//!   that order; optional ones are setters of a builder whose fields are private;
//! - objects are structs with public fields and no `#[non_exhaustive]` (users build them with
//!   literals and `..T::new(..)`), so any field added, removed or retyped breaks someone;
//! - value enums, tagged JSON enums and endpoint error enums are `#[non_exhaustive]`, so a new
//!   variant breaks no `match`.

/// The semver weight of one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Code that compiled against the old crate may stop compiling: a major version.
    Breaking,
    /// Something new; existing code compiles and means the same: a minor version.
    Additive,
    /// Documentation, limits, scopes or what goes over the wire; the Rust API is unchanged: a
    /// patch version (some are flagged with a caution).
    Patch,
}

impl Impact {
    /// `breaking`, `additive` or `patch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
            Impact::Patch => "patch",
        }
    }
}

/// Which rule classified a change; [`Rule::impact`] is its weight and [`Rule::why`] the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A service (module) was added.
    ServiceAdded,
    /// A service (module) was removed.
    ServiceRemoved,
    /// An endpoint was added.
    EndpointAdded,
    /// An endpoint was removed.
    EndpointRemoved,
    /// A required input (parameter or body) was added.
    InputAddedRequired,
    /// An optional input was added.
    InputAddedOptional,
    /// An input was removed.
    InputRemoved,
    /// An input's Rust type changed.
    InputTypeChanged,
    /// An optional input became required.
    InputNowRequired,
    /// A required input became optional.
    InputNowOptional,
    /// The positional arguments are the same but in another order.
    ArgumentsReordered,
    /// A tenant-only endpoint now also accepts user tokens.
    UserTokenSetterAdded,
    /// The user token moved between setter, positional argument and nothing.
    UserTokenInputChanged,
    /// The response's Rust type changed.
    ResponseChanged,
    /// The endpoint became paged.
    PagingAdded,
    /// The endpoint is no longer paged.
    PagingRemoved,
    /// The item type of the paged stream changed.
    PagingItemChanged,
    /// An endpoint declares a new error.
    ErrorRefAdded,
    /// An endpoint no longer declares an error.
    ErrorRefRemoved,
    /// A row was added to a service error table.
    ErrorRowAdded,
    /// A row was removed from a service error table.
    ErrorRowRemoved,
    /// A row's code, HTTP status, retryability or action changed.
    ErrorRowChanged,
    /// A named type was added.
    TypeAdded,
    /// A named type was removed (or renamed).
    TypeRemoved,
    /// A named type changed shape (newtype, enum, object, tagged JSON).
    TypeShapeChanged,
    /// A required field was added to an object.
    FieldAddedRequired,
    /// An optional field was added to an object.
    FieldAddedOptional,
    /// A field was removed.
    FieldRemoved,
    /// A field's Rust type changed.
    FieldTypeChanged,
    /// An optional field became required.
    FieldNowRequired,
    /// A required field became optional.
    FieldNowOptional,
    /// An enum value was added.
    EnumValueAdded,
    /// An enum value was removed.
    EnumValueRemoved,
    /// A tagged JSON kind was added.
    KindAdded,
    /// A tagged JSON kind was removed.
    KindRemoved,
    /// A tagged JSON kind's content type changed.
    KindTypeChanged,
    /// Only what goes over the wire changed: method, path, a wire name, a value, a location.
    WireChanged,
    /// A constraint checked before sending became stricter.
    ConstraintTightened,
    /// A constraint checked before sending became looser.
    ConstraintLoosened,
    /// Rate limits changed.
    LimitsChanged,
    /// Scopes or app types changed.
    AccessChanged,
    /// The platform (base URLs, token endpoint, platform errors) changed.
    PlatformChanged,
    /// Descriptions, summaries, doc links, defaults or examples changed (counted per item).
    DocsChanged,
}

impl Rule {
    /// Every rule, in the order of `docs/diff.md`.
    pub const ALL: &'static [Rule] = &[
        Rule::ServiceAdded,
        Rule::ServiceRemoved,
        Rule::EndpointAdded,
        Rule::EndpointRemoved,
        Rule::InputAddedRequired,
        Rule::InputAddedOptional,
        Rule::InputRemoved,
        Rule::InputTypeChanged,
        Rule::InputNowRequired,
        Rule::InputNowOptional,
        Rule::ArgumentsReordered,
        Rule::UserTokenSetterAdded,
        Rule::UserTokenInputChanged,
        Rule::ResponseChanged,
        Rule::PagingAdded,
        Rule::PagingRemoved,
        Rule::PagingItemChanged,
        Rule::ErrorRefAdded,
        Rule::ErrorRefRemoved,
        Rule::ErrorRowAdded,
        Rule::ErrorRowRemoved,
        Rule::ErrorRowChanged,
        Rule::TypeAdded,
        Rule::TypeRemoved,
        Rule::TypeShapeChanged,
        Rule::FieldAddedRequired,
        Rule::FieldAddedOptional,
        Rule::FieldRemoved,
        Rule::FieldTypeChanged,
        Rule::FieldNowRequired,
        Rule::FieldNowOptional,
        Rule::EnumValueAdded,
        Rule::EnumValueRemoved,
        Rule::KindAdded,
        Rule::KindRemoved,
        Rule::KindTypeChanged,
        Rule::WireChanged,
        Rule::ConstraintTightened,
        Rule::ConstraintLoosened,
        Rule::LimitsChanged,
        Rule::AccessChanged,
        Rule::PlatformChanged,
        Rule::DocsChanged,
    ];

    /// The rule's semver weight.
    pub fn impact(self) -> Impact {
        self.info().1
    }

    /// A stable kebab-case id (`input-added-required`), as in `docs/diff.md` and `--json`.
    pub fn id(self) -> &'static str {
        self.info().0
    }

    /// Why the rule weighs what it does: for a breaking rule, what user code stops compiling.
    pub fn why(self) -> &'static str {
        self.info().2
    }

    /// For changes that compile but behave differently, what to look out for.
    pub fn caution(self) -> Option<&'static str> {
        match self {
            Rule::ConstraintTightened => Some("may refuse calls that passed"),
            Rule::WireChanged => Some("the client sends or reads something else; code compiles unchanged"),
            Rule::ErrorRowChanged => Some("answers may land in another variant (or `Unhandled`) or retry differently"),
            Rule::EnumValueAdded | Rule::KindAdded => {
                Some("values that decoded as `Unknown` now decode as the new variant")
            }
            Rule::ErrorRefAdded => Some("answers with this code no longer land in `Unhandled`"),
            Rule::PlatformChanged => Some("changes how every call is sent, authorised or retried"),
            _ => None,
        }
    }

    // One row per rule, as in docs/diff.md.
    #[rustfmt::skip]
    fn info(self) -> (&'static str, Impact, &'static str) {
        use Impact::{Additive, Breaking, Patch};
        match self {
            Rule::ServiceAdded => ("service-added", Additive, "a new module"),
            Rule::ServiceRemoved => ("service-removed", Breaking, "the module and everything in it are gone"),
            Rule::EndpointAdded => ("endpoint-added", Additive, "a new resource method, builder, error enum and descriptor"),
            Rule::EndpointRemoved => ("endpoint-removed", Breaking, "its resource method, builder, error enum and descriptor are gone"),
            Rule::InputAddedRequired => ("input-added-required", Breaking, "the resource method gains a positional argument; every call misses it"),
            Rule::InputAddedOptional => ("input-added-optional", Additive, "a new setter on the builder, whose fields are private"),
            Rule::InputRemoved => ("input-removed", Breaking, "calls pass a positional argument or a setter that no longer exists"),
            Rule::InputTypeChanged => ("input-type-changed", Breaking, "the argument or setter takes another type"),
            Rule::InputNowRequired => ("input-now-required", Breaking, "the setter becomes a positional argument: calls miss it and the setter is gone"),
            Rule::InputNowOptional => ("input-now-optional", Breaking, "the positional argument becomes a setter: calls pass one argument too many"),
            Rule::ArgumentsReordered => ("arguments-reordered", Breaking, "positional arguments change places: calls stop compiling, or silently swap two of one type"),
            Rule::UserTokenSetterAdded => ("user-token-setter-added", Additive, "a new `user_access_token` setter"),
            Rule::UserTokenInputChanged => ("user-token-input-changed", Breaking, "the `user_access_token` setter or positional argument appears or goes away"),
            Rule::ResponseChanged => ("response-changed", Breaking, "`send()` returns another type"),
            Rule::PagingAdded => ("paging-added", Additive, "a new `stream()` method"),
            Rule::PagingRemoved => ("paging-removed", Breaking, "`stream()` is gone"),
            Rule::PagingItemChanged => ("paging-item-changed", Breaking, "`stream()` yields another item type"),
            Rule::ErrorRefAdded => ("error-ref-added", Additive, "a new variant of a `#[non_exhaustive]` error enum; every match already has a wildcard"),
            Rule::ErrorRefRemoved => ("error-ref-removed", Breaking, "matches on the removed variant stop compiling"),
            Rule::ErrorRowAdded => ("error-row-added", Additive, "a new `errors::` constant"),
            Rule::ErrorRowRemoved => ("error-row-removed", Breaking, "uses of its `errors::` constant stop compiling"),
            Rule::ErrorRowChanged => ("error-row-changed", Patch, "the variant and constant keep their names; what they match changes"),
            Rule::TypeAdded => ("type-added", Additive, "a new type"),
            Rule::TypeRemoved => ("type-removed", Breaking, "uses of the type's name stop compiling (a rename is a removal and an addition)"),
            Rule::TypeShapeChanged => ("type-shape-changed", Breaking, "the type's constructors, methods and fields are different ones"),
            Rule::FieldAddedRequired => ("field-added-required", Breaking, "`new(..)` gains an argument, and struct literals miss the field"),
            Rule::FieldAddedOptional => ("field-added-optional", Breaking, "objects are not `#[non_exhaustive]`: struct literals and patterns without `..` miss the field"),
            Rule::FieldRemoved => ("field-removed", Breaking, "reads, literals and patterns of the field stop compiling"),
            Rule::FieldTypeChanged => ("field-type-changed", Breaking, "reads and writes of the field get another type"),
            Rule::FieldNowRequired => ("field-now-required", Breaking, "`Option<T>` becomes `T`: `new(..)` gains an argument, literals and reads change type"),
            Rule::FieldNowOptional => ("field-now-optional", Breaking, "`T` becomes `Option<T>`: readers get an `Option`, `new(..)` loses an argument"),
            Rule::EnumValueAdded => ("enum-value-added", Additive, "a new variant of a `#[non_exhaustive]` enum with `Unknown`"),
            Rule::EnumValueRemoved => ("enum-value-removed", Breaking, "uses of the variant stop compiling"),
            Rule::KindAdded => ("kind-added", Additive, "a new variant and constructor of a `#[non_exhaustive]` tagged enum"),
            Rule::KindRemoved => ("kind-removed", Breaking, "uses of the variant and its constructor stop compiling"),
            Rule::KindTypeChanged => ("kind-type-changed", Breaking, "the variant holds, and its constructor takes, another type"),
            Rule::WireChanged => ("wire-changed", Patch, "the Rust API is unchanged"),
            Rule::ConstraintTightened => ("constraint-tightened", Patch, "checked before sending; the Rust API is unchanged"),
            Rule::ConstraintLoosened => ("constraint-loosened", Patch, "checked before sending; the Rust API is unchanged"),
            Rule::LimitsChanged => ("limits-changed", Patch, "the client's rate limiter paces calls by them; docs change"),
            Rule::AccessChanged => ("access-changed", Patch, "documentation and descriptor data only"),
            Rule::PlatformChanged => ("platform-changed", Patch, "data of the `PLATFORM` static; no Rust name changes"),
            Rule::DocsChanged => ("docs-changed", Patch, "rustdoc and example data only"),
        }
    }
}
