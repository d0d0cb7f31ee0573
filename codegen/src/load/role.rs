//! What a node is, seen from OpenAPI: the context the bundler walks with.
//!
//! A `$ref` met where a reusable component stands ([`Kind::section`] is `Some`) is hoisted into
//! `components`; anywhere else its target is inlined.

/// The kind of object a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Schema,
    Response,
    Parameter,
    Example,
    RequestBody,
    Header,
    SecurityScheme,
    Link,
    Callback,
    Document,
    Components,
    PathItem,
    Operation,
    Responses,
    MediaType,
    Encoding,
    Discriminator,
    /// `discriminator.mapping`: its values are schema references written as plain strings.
    Mapping,
    /// Anything else (info, tags, examples' values, vendor extensions): refs are inlined.
    Any,
}

/// A node's role: one object of a kind, or a map or list of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    One(Kind),
    MapOf(Kind),
    ListOf(Kind),
}

pub const ANY: Role = Role::One(Kind::Any);

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Kind {
    /// The `components` section a reusable component of this kind lives in.
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Response => "responses",
            Kind::Parameter => "parameters",
            Kind::Example => "examples",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::SecurityScheme => "securitySchemes",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            _ => return None,
        })
    }

    /// The kind stored in a `components` section.
    pub fn from_section(section: &str) -> Option<Kind> {
        HOISTABLE.iter().copied().find(|k| k.section() == Some(section))
    }
}

/// Every kind with a `components` section, in the order OpenAPI lists them.
pub const HOISTABLE: [Kind; 9] = [
    Kind::Schema,
    Kind::Response,
    Kind::Parameter,
    Kind::Example,
    Kind::RequestBody,
    Kind::Header,
    Kind::SecurityScheme,
    Kind::Link,
    Kind::Callback,
];

impl Role {
    /// The role of the value under `key` of an object with this role.
    pub fn child(self, key: &str) -> Role {
        use Kind::*;
        use Role::*;
        let kind = match self {
            One(kind) => kind,
            MapOf(PathItem) | MapOf(Callback) if key.starts_with("x-") => return ANY,
            MapOf(kind) => return One(kind),
            ListOf(_) => return ANY,
        };
        match (kind, key) {
            (Document, "paths") | (Document, "webhooks") => MapOf(PathItem),
            (Document, "components") => One(Components),
            (Components, section) => match Kind::from_section(section) {
                Some(k) => MapOf(k),
                None => ANY,
            },
            (PathItem, "parameters") | (Operation, "parameters") => ListOf(Parameter),
            (PathItem, method) if METHODS.contains(&method) => One(Operation),
            (Operation, "requestBody") => One(RequestBody),
            (Operation, "responses") => One(Responses),
            (Operation, "callbacks") => MapOf(Callback),
            (Responses, code) if !code.starts_with("x-") => One(Response),
            (Callback, expression) if !expression.starts_with("x-") => One(PathItem),
            (Response, "headers") | (Encoding, "headers") => MapOf(Header),
            (Response, "links") => MapOf(Link),
            (Response, "content") | (RequestBody, "content") => MapOf(MediaType),
            (Parameter, "content") | (Header, "content") => MapOf(MediaType),
            (Parameter, "schema") | (Header, "schema") | (MediaType, "schema") => One(Schema),
            (Parameter, "examples") | (Header, "examples") | (MediaType, "examples") => MapOf(Example),
            (MediaType, "encoding") => MapOf(Encoding),
            (Schema, "properties") => MapOf(Schema),
            (Schema, "items") | (Schema, "additionalProperties") | (Schema, "not") => One(Schema),
            (Schema, "allOf") | (Schema, "oneOf") | (Schema, "anyOf") => ListOf(Schema),
            (Schema, "discriminator") => One(Discriminator),
            (Discriminator, "mapping") => One(Mapping),
            _ => ANY,
        }
    }

    /// The role of an item of an array with this role.
    pub fn item(self) -> Role {
        match self {
            Role::ListOf(kind) => Role::One(kind),
            _ => ANY,
        }
    }

    /// The components kind a `$ref` in this role is hoisted into, if it is hoisted.
    pub fn hoisted_kind(self) -> Option<Kind> {
        match self {
            Role::One(kind) if kind.section().is_some() => Some(kind),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_properties_named_like_keywords_are_schemas() {
        let props = Role::One(Kind::Schema).child("properties");
        assert_eq!(props.child("links"), Role::One(Kind::Schema));
        assert_eq!(props.child("x-order"), Role::One(Kind::Schema));
        assert_eq!(Role::One(Kind::Response).child("links"), Role::MapOf(Kind::Link));
    }

    #[test]
    fn operations_and_extensions() {
        let paths = Role::One(Kind::Document).child("paths");
        assert_eq!(paths.child("x-internal"), ANY);
        let item = paths.child("/v2/x");
        assert_eq!(item.child("get"), Role::One(Kind::Operation));
        assert_eq!(item.child("get").child("x-codeSamples"), ANY);
        assert_eq!(Role::One(Kind::Responses).child("200").hoisted_kind(), Some(Kind::Response));
        assert_eq!(Role::ListOf(Kind::Schema).item().hoisted_kind(), Some(Kind::Schema));
        assert_eq!(Role::MapOf(Kind::Schema).hoisted_kind(), None);
    }
}
