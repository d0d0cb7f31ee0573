//! How deep the lowering may go. Schemas nest (`items`, `properties`, `additionalProperties`),
//! merge (`allOf`), alternate (`oneOf`/`anyOf`) and alias each other through `$ref`s, and each
//! step is a recursive call: a hand-edited spec with a schema that includes itself through
//! `allOf` would recurse forever, and a very long chain of them would overflow the stack.
//! Every recursive step enters here first: a step that would go deeper than [`MAX_DEPTH`] is an
//! error naming the place, and a schema met again within its own `allOf`/`oneOf`/`anyOf` walk
//! is an error naming the loop.

use std::cell::RefCell;
use std::rc::Rc;

use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::TypeKind;

/// The deepest the lowering goes. The whole DigitalOcean spec needs 14 steps (measured when
/// this was written); a debug build in a 2 MiB test thread has room for this many (the
/// regression test lowers a chain just within it on such a thread).
pub(super) const MAX_DEPTH: usize = 100;

/// A recursive step of the lowering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// What a schema becomes (struct, enum, union, other): through `allOf`/`oneOf`/`anyOf`.
    Shape,
    /// The fields of a struct: through `allOf` and `anyOf` members.
    Collect,
    /// The type of a schema where it stands: through items, properties, members.
    Type,
    /// A component that is a `$ref` to another.
    Alias,
}

/// The steps being taken, outermost first, each with the pointer (in the bundled document) of
/// the schema it is about.
#[derive(Debug, Default, Clone)]
pub(super) struct Stack(Rc<RefCell<Vec<(Step, String)>>>);

/// A step taken: leaves it when dropped.
pub(super) struct Entered(Rc<RefCell<Vec<(Step, String)>>>);

impl Drop for Entered {
    fn drop(&mut self) {
        self.0.borrow_mut().pop();
    }
}

impl Lowerer<'_> {
    /// Takes a step into the schema at `at`, or fails when that is too deep or a loop.
    pub(super) fn enter(&self, step: Step, at: &str) -> Result<Entered> {
        let stack = &self.entered.0;
        let mut steps = stack.borrow_mut();
        if steps.len() >= MAX_DEPTH {
            let what = format!(
                "schemas nested or chained more than {MAX_DEPTH} deep (through items, properties, allOf, oneOf/anyOf or $refs to $refs); the step that went too deep is here"
            );
            return Err(Error::Unsupported { at: self.spec.locate(at), what });
        }
        if matches!(step, Step::Shape | Step::Collect) {
            // Within one walk of the same kind (not across a property or an item, where a type
            // may contain itself), meeting the same schema again would loop forever.
            let walk: Vec<&String> = steps.iter().rev().take_while(|(s, _)| *s == step).map(|(_, p)| p).collect();
            if let Some(start) = walk.iter().position(|p| p.as_str() == at) {
                let mut chain: Vec<String> = walk[..=start].iter().rev().map(|p| p.to_string()).collect();
                chain.push(at.to_owned());
                let what = format!("a schema that includes itself through allOf/oneOf/anyOf: {}", chain.join(" -> "));
                return Err(Error::Unsupported { at: self.spec.locate(at), what });
            }
        }
        steps.push((step, at.to_owned()));
        Ok(Entered(Rc::clone(stack)))
    }
}

impl Lowerer<'_> {
    /// Refuses a type alias that holds itself (`a` an array of `b`, `b` a map of `a`): Rust has
    /// no recursive type alias, and the emitter follows aliases to their end.
    pub(super) fn refuse_alias_loops(&self) -> Result<()> {
        for (name, def) in &self.types {
            let mut chain = vec![def];
            let mut current = def;
            while let TypeKind::Alias(target) = &current.kind {
                let Some(next) = target.named() else { break };
                let Some(next_def) = self.types.get(next) else { break };
                if next == name {
                    let path: Vec<&str> = chain.iter().map(|d| d.origin.as_str()).chain([def.origin.as_str()]).collect();
                    let what = format!(
                        "a schema that is an array or map of itself through $refs only ({}): Rust has no recursive type alias; make one of them an object",
                        path.join(" -> ")
                    );
                    return Err(Error::Unsupported { at: self.spec.locate(&def.origin), what });
                }
                if chain.iter().any(|d| d.name == *next) {
                    // A loop that does not pass through `name`: reported from one of its own members.
                    break;
                }
                chain.push(next_def);
                current = next_def;
            }
        }
        Ok(())
    }
}
