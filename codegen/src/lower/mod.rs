//! Phase 2: the `openapiv3` document to the IR. Names are decided here (through `names`), for
//! the whole document first, so that a type's name never depends on which tags are selected.

mod collisions;
mod depth;
mod events;
mod merge;
mod operation;
mod pagination;
mod samples;
mod schema;
mod subjects;
mod union;
mod view;

use crate::load::pointer;
use std::collections::{BTreeMap, BTreeSet};

use openapiv3::ReferenceOr;

use crate::error::{Error, Result};
use crate::ir::{Api, Fallback, Merge, Tag, TypeKind, TypeRef};
use crate::load::Spec;
use crate::names::{self, Registry};
pub use collisions::Lock;
use schema::{SchemaOr, Shape};

/// Which operations to generate. Empty lists select everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Tags as the spec writes them (`Functions`).
    pub tags: Vec<String>,
    /// operationIds (`functions_create_namespace`).
    pub operations: Vec<String>,
}

impl Selection {
    pub fn tags(tags: &[&str]) -> Self {
        Selection { tags: tags.iter().map(|t| t.to_string()).collect(), operations: Vec::new() }
    }

    fn takes(&self, tag: &str, operation_id: &str) -> bool {
        (self.tags.is_empty() || self.tags.iter().any(|t| t == tag))
            && (self.operations.is_empty() || self.operations.iter().any(|o| o == operation_id))
    }
}

pub(crate) struct Lowerer<'s> {
    spec: &'s Spec,
    names: Registry,
    /// Component schema name -> Rust type name, for every component.
    component_names: BTreeMap<String, String>,
    /// Component schemas already defined (or being defined).
    lowered: BTreeSet<String>,
    /// Inline schema locations named before lowering (response components).
    pre_named: BTreeMap<String, String>,
    /// The type of every inline schema location lowered so far.
    inline_types: BTreeMap<String, TypeRef>,
    types: BTreeMap<String, crate::ir::TypeDef>,
    fallbacks: BTreeSet<Fallback>,
    /// Members that several `allOf` parts define, and what became of each.
    merges: BTreeSet<Merge>,
    /// The schemas being lowered, outermost first: bounds the recursion (see [`depth`]).
    entered: depth::Stack,
}

/// Lowers the selected operations and every type they reach.
pub fn lower(spec: &Spec, selection: &Selection) -> Result<Api> {
    lower_locked(spec, selection, &Lock::default())
}

/// [`lower`], keeping the names of component schemas that `lock` (the committed manifest)
/// gives where several schemas share a name (see `collisions`).
pub fn lower_locked(spec: &Spec, selection: &Selection, lock: &Lock) -> Result<Api> {
    let mut lowerer = Lowerer {
        spec,
        names: Registry::default(),
        component_names: BTreeMap::new(),
        lowered: BTreeSet::new(),
        pre_named: BTreeMap::new(),
        inline_types: BTreeMap::new(),
        types: BTreeMap::new(),
        fallbacks: BTreeSet::new(),
        merges: BTreeSet::new(),
        entered: depth::Stack::default(),
    };
    lowerer.name_roots(lock)?;
    lowerer.lower_components()?;
    let tags = lowerer.operations(selection)?;
    lowerer.refuse_alias_loops()?;
    let mut api = lowerer.finish(tags);
    subjects::mark(&mut api);
    pagination::annotate(&mut api);
    Ok(api)
}

impl<'s> Lowerer<'s> {
    /// Pass 1: every component schema and every response component's inline schema gets its
    /// name, in sorted order, before anything nested is named.
    fn name_roots(&mut self, lock: &Lock) -> Result<()> {
        let Some(components) = self.spec.doc.components.as_ref() else { return Ok(()) };
        let shared = collisions::names(&self.spec.raw, lock);
        let sorted: BTreeSet<&String> = components.schemas.keys().collect();
        for key in sorted {
            let name = shared.get(key).cloned().unwrap_or_else(|| names::type_name(key));
            let rust = self.names.claim(&[name]);
            self.component_names.insert(key.clone(), rust);
        }
        let sorted: BTreeMap<&String, _> = components.responses.iter().collect();
        for (key, response) in sorted {
            let ReferenceOr::Item(response) = response else { continue };
            let Some((media, schema)) = json_schema(&response.content) else { continue };
            let ReferenceOr::Item(item) = schema else { continue };
            let at = format!("/components/responses/{}/content/{}/schema", pointer::escape(key), pointer::escape(media));
            if self.shape(item, &at)? != Shape::Other {
                let base = names::type_name(key);
                let candidates = [base.clone(), format!("{base}Response"), format!("{base}Body")];
                let rust = self.names.claim(&candidates);
                self.pre_named.insert(at, rust);
            }
        }
        Ok(())
    }

    /// Pass 2: every component schema and response schema, in sorted order, so that nested
    /// names are the same whatever the selection.
    fn lower_components(&mut self) -> Result<()> {
        let Some(components) = self.spec.doc.components.as_ref() else { return Ok(()) };
        let keys: BTreeSet<&String> = components.schemas.keys().collect();
        for key in keys {
            let at = format!("/components/schemas/{}", pointer::escape(key));
            self.component_type(&format!("#{at}"), &at)?;
        }
        let sorted: BTreeMap<&String, _> = components.responses.iter().collect();
        for (key, response) in sorted {
            let ReferenceOr::Item(response) = response else { continue };
            let Some((media, schema)) = json_schema(&response.content) else { continue };
            let at = format!("/components/responses/{}/content/{}/schema", pointer::escape(key), pointer::escape(media));
            let base = vec![names::type_name(key)];
            let ty = self.type_of(SchemaOr::from(schema), &at, &base)?;
            self.describe(&ty, &response.description);
        }
        Ok(())
    }

    /// Gives a type that the schema left undocumented the description of where it is used
    /// (a response or a request body).
    fn describe(&mut self, ty: &TypeRef, description: &str) {
        if let TypeRef::Named(name) = ty {
            if let Some(def) = self.types.get_mut(name) {
                if def.docs.is_none() && !description.trim().is_empty() {
                    def.docs = Some(description.to_owned());
                }
            }
        }
    }

    /// Keeps only the types the selected operations reach, records how each is used, and keeps
    /// the fallbacks inside them.
    fn finish(mut self, mut tags: Vec<Tag>) -> Api {
        for tag in &mut tags {
            for op in &mut tag.operations {
                if let crate::ir::Success::ByStatus { name, docs, variants } = &op.success {
                    let kind = TypeKind::Answers(
                        variants
                            .iter()
                            .map(|v| crate::ir::UnionVariant {
                                rust: v.rust.clone(),
                                ty: match &v.answer {
                                    crate::ir::Answer::Json { ty, .. } => ty.clone(),
                                    _ => TypeRef::Json,
                                },
                                tag: Some(v.status.to_string()),
                                docs: Some(format!("The `{}` answer.", v.status)),
                            })
                            .collect(),
                    );
                    let def = crate::ir::TypeDef {
                        name: name.clone(),
                        docs: Some(docs.clone()),
                        origin: format!("{}/responses", op.origin),
                        kind,
                        usage: Default::default(),
                    };
                    self.types.insert(name.clone(), def);
                }
            }
        }
        let mut reached: BTreeMap<String, crate::ir::TypeDef> = BTreeMap::new();
        for op in tags.iter().flat_map(|t| &t.operations) {
            let sent = op.params.iter().map(|p| &p.ty).chain(op.body.as_ref().map(|b| &b.ty));
            let requests: Vec<String> = sent.filter_map(TypeRef::named).map(str::to_owned).collect();
            // Events are decoded like answers.
            let received = op.success.json_types().into_iter().chain(op.events.as_ref().map(|e| &e.ty));
            let mut responses: Vec<String> = received.filter_map(TypeRef::named).map(str::to_owned).collect();
            if let crate::ir::Success::ByStatus { name, .. } = &op.success {
                responses.push(name.clone());
            }
            self.reach(requests, &op.feature, true, &mut reached);
            self.reach(responses, &op.feature, false, &mut reached);
        }
        let origins: Vec<&str> = reached.values().map(|d| d.origin.as_str()).collect();
        let op_prefixes: Vec<String> = tags.iter().flat_map(|t| &t.operations).map(|o| o.origin.clone()).collect();
        let fallbacks = self
            .fallbacks
            .into_iter()
            .filter(|f| origins.iter().any(|o| within(&f.pointer, o)) || op_prefixes.iter().any(|o| within(&f.pointer, o)))
            .collect();
        let merges = self.merges.into_iter().filter(|m| origins.iter().any(|o| within(&m.pointer, o))).collect();
        let info = &self.spec.doc.info;
        let overlays = self.spec.overlays.clone();
        let samples = samples::collect(&self.spec.raw, &tags, &reached);
        Api {
            title: info.title.clone(),
            version: info.version.clone(),
            tags,
            types: reached,
            fallbacks,
            merges,
            overlays,
            unpaginated: Vec::new(),
            samples,
            numbered: collisions::numbered(&self.spec.raw),
        }
    }

    /// Marks every type reachable from `roots` as used by `feature`, in a request or a response.
    fn reach(&self, roots: Vec<String>, feature: &str, request: bool, reached: &mut BTreeMap<String, crate::ir::TypeDef>) {
        let mut todo = roots;
        let mut seen = BTreeSet::new();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if !reached.contains_key(&name) {
                let Some(def) = self.types.get(&name) else { continue };
                reached.insert(name.clone(), def.clone());
            }
            let Some(def) = reached.get_mut(&name) else { continue };
            let usage = &mut def.usage;
            if request {
                usage.request = true;
            } else {
                usage.response = true;
            }
            *usage.features.entry(feature.to_owned()).or_default() += 1;
            todo.extend(def.kind.refs().into_iter().filter_map(TypeRef::named).map(str::to_owned));
        }
    }

    fn fallback(&mut self, at: &str, reason: &str) -> TypeRef {
        self.fallbacks.insert(Fallback { pointer: at.to_owned(), reason: reason.to_owned() });
        TypeRef::Json
    }

    /// The name in `#/components/<section>/<name>` (unescaped); any other reference is an error.
    fn component_name(&self, reference: &str, section: &str, at: &str) -> Result<String> {
        pointer::component(reference)
            .filter(|c| c.whole && c.section == section)
            .map(|c| c.name)
            .ok_or_else(|| self.ref_error(at, reference, &format!("expected a reference into components/{section}")))
    }

    /// An item as it is, or the component its `$ref` names in `section` (`what` it is, for the
    /// error), each with its pointer: the one resolver of referenced parameters, request bodies
    /// and responses (schemas have aliases of aliases: `schema_component`).
    fn item_or_component<T>(
        &self,
        item: &'s ReferenceOr<T>,
        at: String,
        (section, what): (&str, &str),
        map: impl FnOnce(&'s openapiv3::Components) -> &'s indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'s T, String)> {
        let reference = match item {
            ReferenceOr::Item(item) => return Ok((item, at)),
            ReferenceOr::Reference { reference } => reference,
        };
        let name = self.component_name(reference, section, &at)?;
        match self.spec.doc.components.as_ref().map(map).and_then(|m| m.get(&name)) {
            Some(ReferenceOr::Item(found)) => Ok((found, format!("/components/{section}/{}", pointer::escape(&name)))),
            _ => Err(self.ref_error(&at, reference, &format!("no such {what} in components"))),
        }
    }

    fn ref_error(&self, at: &str, reference: &str, reason: &str) -> Error {
        Error::Ref { at: self.spec.locate(at), reference: reference.to_owned(), reason: reason.to_owned() }
    }

    fn unsupported(&self, at: &str, what: &str) -> Error {
        Error::Unsupported { at: self.spec.locate(at), what: what.to_owned() }
    }
}

/// The `application/json` (or `+json`) schema of a content map.
fn json_schema(content: &indexmap::IndexMap<String, openapiv3::MediaType>) -> Option<(&String, &ReferenceOr<openapiv3::Schema>)> {
    content.iter().filter(|(media, _)| is_json(media)).find_map(|(media, m)| m.schema.as_ref().map(|s| (media, s)))
}

/// A media type without its parameters (`application/json; charset=utf-8` is
/// `application/json`).
pub(crate) fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or("").trim()
}

/// Whether `media` is JSON (`application/json`, or any `+json`).
pub(crate) fn is_json(media: &str) -> bool {
    let essence = essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a response's status is a success (a 2xx code, or the range `2XX`).
pub(crate) fn is_success(status: &openapiv3::StatusCode) -> bool {
    match status {
        openapiv3::StatusCode::Code(code) => (200..300).contains(code),
        openapiv3::StatusCode::Range(range) => *range == 2,
    }
}

/// Candidate names for something nested under `base`.
fn child(base: &[String], suffix: &str) -> Vec<String> {
    let first = base.first().map(String::as_str).unwrap_or("Unnamed");
    vec![format!("{first}{suffix}")]
}

/// Whether `pointer` is `prefix` or inside it.
fn within(pointer: &str, prefix: &str) -> bool {
    pointer == prefix || pointer.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}
