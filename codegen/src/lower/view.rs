//! One flat view of a schema. `openapiv3` splits schemas into typed variants and a catch-all
//! (`AnySchema`) depending on which keywords appear together; lowering only wants to ask
//! "what type, which properties, which members", whatever variant the parser chose.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

pub type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

pub struct View<'s> {
    pub data: &'s SchemaData,
    pub typ: Option<&'s str>,
    pub integer_format: Option<&'s str>,
    /// A string's `format` (`date-time`, `uuid`, ...).
    pub string_format: Option<&'s str>,
    /// String enum values (`None` for a `null` member); empty when not an enum.
    pub enum_strings: Vec<Option<String>>,
    /// Whether an `enum` of non-string values is present (integer enums).
    pub other_enum: bool,
    /// Integer enum values.
    pub enum_ints: Vec<i64>,
    /// `maximum`, as written (integers beyond `i64` make the type `u64`).
    pub maximum: Option<f64>,
    /// `minimum`, as written (only a minimum of 0 or more lets an integer be `u64`).
    pub minimum: Option<f64>,
    /// The discriminating property and its mapping (value -> `$ref`), in spec order.
    pub discriminator: Option<&'s openapiv3::Discriminator>,
    pub properties: Option<&'s Properties>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub all_of: &'s [ReferenceOr<Schema>],
    pub one_of: &'s [ReferenceOr<Schema>],
    pub any_of: &'s [ReferenceOr<Schema>],
    pub has_not: bool,
}

const NONE: &[ReferenceOr<Schema>] = &[];

impl<'s> View<'s> {
    /// The view of `schema`. Long (about 100 lines): one field per keyword the lowering reads,
    /// filled in one pass over the schema's kind.
    pub fn of(schema: &'s Schema) -> View<'s> {
        let mut view = View {
            data: &schema.schema_data,
            typ: None,
            integer_format: None,
            string_format: None,
            enum_strings: Vec::new(),
            other_enum: false,
            enum_ints: Vec::new(),
            maximum: None,
            minimum: None,
            discriminator: schema.schema_data.discriminator.as_ref(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            all_of: NONE,
            one_of: NONE,
            any_of: NONE,
            has_not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.string_format = match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte"),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                view.enum_strings = s.enumeration.clone();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.other_enum = !n.enumeration.is_empty();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.integer_format = match &i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32"),
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64"),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.as_str()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                view.other_enum = !i.enumeration.is_empty();
                view.enum_ints = i.enumeration.iter().flatten().copied().collect();
                view.maximum = i.maximum.map(|m| m as f64);
                view.minimum = i.minimum.map(|m| m as f64);
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.typ = Some("boolean");
                view.other_enum = !b.enumeration.is_empty();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = Some(&o.properties);
                view.required = &o.required;
                view.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => view.has_not = true,
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                if view.typ == Some("string") {
                    view.string_format = any.format.as_deref();
                }
                if view.typ == Some("integer") {
                    view.integer_format = any.format.as_deref();
                    view.maximum = any.maximum;
                    view.minimum = any.minimum;
                    view.enum_ints = any.enumeration.iter().filter_map(|v| v.as_i64()).collect();
                }
                if !any.enumeration.is_empty() {
                    if any.enumeration.iter().all(|v| v.is_string() || v.is_null()) {
                        view.enum_strings = any.enumeration.iter().map(|v| v.as_str().map(str::to_owned)).collect();
                    } else {
                        view.other_enum = true;
                    }
                }
                view.properties = Some(&any.properties);
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.all_of = &any.all_of;
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.has_not = any.not.is_some();
            }
        }
        view
    }

    pub fn has_properties(&self) -> bool {
        self.properties.is_some_and(|p| !p.is_empty())
    }

    pub fn is_int_enum(&self) -> bool {
        self.typ == Some("integer") && !self.enum_ints.is_empty()
    }

    /// An object that says nothing about its members (`{}`, `type: object` alone).
    pub fn is_free_object(&self) -> bool {
        matches!(self.typ, None | Some("object"))
            && !self.has_properties()
            && !matches!(self.additional, Some(AdditionalProperties::Schema(_)))
            && self.items.is_none()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.enum_strings.is_empty()
            && !self.other_enum
    }

    /// Adds no type to an `allOf`: annotations, `type: object` alone, `required` lists, or
    /// alternatives that only list `required`.
    pub fn adds_no_type(&self) -> bool {
        let validation_only =
            |members: &[ReferenceOr<Schema>]| members.iter().all(|m| matches!(m, ReferenceOr::Item(s) if View::of(s).is_annotation_only()));
        matches!(self.typ, None | Some("object"))
            && !self.has_properties()
            && !matches!(self.additional, Some(AdditionalProperties::Schema(_)))
            && self.items.is_none()
            && self.all_of.is_empty()
            && self.enum_strings.is_empty()
            && !self.other_enum
            && !self.has_not
            && validation_only(self.one_of)
            && validation_only(self.any_of)
    }

    pub fn is_string_enum(&self) -> bool {
        self.enum_strings.iter().any(Option::is_some)
    }

    /// Documentation: the description, else the title.
    pub fn docs(&self) -> Option<String> {
        self.data.description.clone().or_else(|| self.data.title.clone())
    }

    /// [`View::docs`] for a struct field: a `date-time` string also says what it holds.
    pub fn field_docs(&self, own: Option<String>) -> Option<String> {
        const DATE_TIME: &str = "An RFC 3339 date and time (`format: date-time`).";
        let docs = own.or_else(|| self.docs());
        if self.typ != Some("string") || self.string_format != Some("date-time") {
            return docs;
        }
        Some(match docs {
            Some(docs) if !docs.trim().is_empty() => format!("{}\n\n{DATE_TIME}", docs.trim_end()),
            _ => DATE_TIME.to_owned(),
        })
    }

    /// Only annotations or validation (`description`, `readOnly`, `required`, ...): no type.
    pub fn is_annotation_only(&self) -> bool {
        self.typ.is_none()
            && !self.has_properties()
            && self.items.is_none()
            && self.additional.is_none()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && !self.has_not
            && self.enum_strings.is_empty()
            && !self.other_enum
    }
}
