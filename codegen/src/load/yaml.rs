//! YAML text to `serde_json::Value`, keeping key order.
//!
//! `serde_yaml` 0.9 reads YAML 1.2 core scalars, so `off`, `yes` and dates stay strings.
//! Mapping keys become strings: `200:` is the key `"200"`, `true:` is `"true"`. Integers too big
//! for 64 bits become floats (as a JavaScript reader would read them). Tags are dropped and
//! `<<` merge keys are applied.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::Error;

/// Parses one file's text. `file` is only used in error messages.
///
/// A last line without a line break is read as if it had one (a line ends with one), so that a
/// block scalar (`|`) at the very end of a file keeps its final line break whether or not the
/// file ends with a newline: Redocly's bundler (js-yaml) reads it so, and a bundle of the tree
/// must give the same document as the tree.
pub fn parse(text: &str, file: &Path) -> Result<Value, Error> {
    let ended;
    let text = if text.is_empty() || text.ends_with('\n') {
        text
    } else {
        ended = format!("{text}\n");
        ended.as_str()
    };
    match serde_yaml::from_str::<Node>(text) {
        Ok(Node(value)) => Ok(value),
        Err(error) => {
            let message = match error.location() {
                Some(at) if !error.to_string().contains("line ") => {
                    format!("{error} at line {} column {}", at.line(), at.column())
                }
                _ => error.to_string(),
            };
            Err(Error::Yaml { file: file.to_path_buf(), message })
        }
    }
}

struct Node(Value);

struct Key(String);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor).map(Node)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(NodeVisitor)? {
            Value::String(s) => Ok(Key(s)),
            Value::Null => Ok(Key("null".to_string())),
            Value::Bool(b) => Ok(Key(b.to_string())),
            Value::Number(n) => Ok(Key(n.to_string())),
            Value::Array(_) | Value::Object(_) => {
                Err(de::Error::custom("a mapping key is a list or a mapping; only scalar keys are supported"))
            }
        }
    }
}

fn float<E: de::Error>(f: f64) -> Result<Value, E> {
    Number::from_f64(f).map(Value::Number).ok_or_else(|| E::custom(format!("the number {f} has no JSON form")))
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(small) => Ok(Value::Number(small.into())),
            Err(_) => float(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(small) => Ok(Value::Number(small.into())),
            Err(_) => float(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        float(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Node(item)) = seq.next_element()? {
            out.push(item);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            let Node(value) = map.next_value()?;
            if key == "<<" {
                merged.push(value);
            } else if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate mapping key `{key}`")));
            } else {
                out.insert(key, value);
            }
        }
        for value in merged {
            let sources = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                let Value::Object(source) = source else {
                    return Err(de::Error::custom("a `<<` merge key must name a mapping or a list of mappings"));
                };
                for (key, value) in source {
                    out.entry(key).or_insert(value);
                }
            }
        }
        Ok(Value::Object(out))
    }

    /// A tagged node (`!tag value`): the tag is dropped.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant::<Node>().map(|Node(value)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Value {
        match parse(text, Path::new("t.yml")) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn yaml_1_2_scalars_stay_strings() {
        let v = read("enum: [on, off, yes, no]\nwhen: 2020-11-14T16:29:21Z\nn: 3e-05\n");
        assert_eq!(v, json!({"enum": ["on", "off", "yes", "no"], "when": "2020-11-14T16:29:21Z", "n": 3e-05}));
    }

    #[test]
    fn keys_become_strings_in_order() {
        let v = read("responses:\n  200: {}\n  default: {}\n  404: {}\n  true: 1\n");
        let keys: Vec<&String> = v["responses"].as_object().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["200", "default", "404", "true"]);
    }

    #[test]
    fn big_integers_tags_and_merges() {
        let v = read("max: 18446744073709552000\nneg: -9223372036854775809\nt: !custom 5\nbase: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
        assert_eq!(v["max"], json!(18446744073709552000.0_f64));
        assert_eq!(v["neg"], json!(-9223372036854775809.0_f64));
        assert_eq!(v["t"], json!(5));
        assert_eq!(v["m"], json!({"y": 3, "x": 1}));
    }

    #[test]
    fn malformed_yaml_names_file_and_line() {
        let err = parse("a: b\n  c: d\n", Path::new("x/bad.yml")).err().map(|e| e.to_string());
        let err = err.unwrap_or_default();
        assert!(err.contains("x/bad.yml") && err.contains("line 2"), "{err}");
        let dup = parse("a: 1\na: 2\n", Path::new("d.yml")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(dup.contains("duplicate"), "{dup}");
    }
}
