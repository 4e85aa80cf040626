use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use crate::context::dotted_pointer;
use crate::renderer::for_loop::ForLoop;
use crate::template::Template;

pub type Val<'a> = Cow<'a, Value>;
/// Broadsheet patch: a frame's variables (`set` values, macro arguments), consulted by every
/// lookup. A frame holds a handful, so they are kept in insertion order and found by a scan
/// that compares lengths before bytes: cheaper than hashing the name, and an empty frame
/// costs nothing.
#[derive(Debug, Default)]
pub struct FrameContext<'a> {
    entries: Vec<(&'a str, Val<'a>)>,
}

impl<'a> FrameContext<'a> {
    pub fn with_capacity(capacity: usize) -> Self {
        FrameContext { entries: Vec::with_capacity(capacity) }
    }

    pub fn get(&self, key: &str) -> Option<&Val<'a>> {
        self.entries.iter().find(|(name, _)| *name == key).map(|(_, value)| value)
    }

    /// Sets `key`, replacing its value if it has one.
    pub fn insert(&mut self, key: &'a str, value: Val<'a>) {
        match self.entries.iter_mut().find(|(name, _)| *name == key) {
            Some(slot) => slot.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &Val<'a>)> {
        self.entries.iter().map(|(name, value)| (*name, value))
    }
}

/// Broadsheet patch: a variable's path (`article.category.name`), scanned once per lookup
/// instead of once by every frame and step that looks at it.
#[derive(Clone, Copy, Debug)]
pub struct VarPath<'k> {
    /// The whole path.
    pub full: &'k str,
    /// Where its first `.` is.
    pub dot: Option<usize>,
    /// Whether it has no quotes, brackets, backslashes or `~` (nearly every path): then its
    /// steps are its dot-separated parts as written, with nothing to unescape.
    pub plain: bool,
    /// Whether it has a `[`.
    pub bracket: bool,
}

impl<'k> VarPath<'k> {
    pub fn new(full: &'k str) -> Self {
        let (mut dot, mut plain, mut bracket) = (None, true, false);
        for (i, b) in full.bytes().enumerate() {
            match b {
                b'.' if dot.is_none() => dot = Some(i),
                b'[' => {
                    bracket = true;
                    plain = false;
                }
                b'"' | b'\'' | b'\\' | b']' | b'~' => plain = false,
                _ => {}
            }
        }
        VarPath { full, dot, plain, bracket }
    }

    /// The name before the first `.`, and the rest after it (empty without a dot).
    pub fn split(&self) -> (&'k str, &'k str) {
        match self.dot {
            Some(dot) => (&self.full[..dot], &self.full[dot + 1..]),
            None => (self.full, ""),
        }
    }

    /// The value at `tail` (this path's part after its first dot) within `value`.
    pub fn within<'v>(&self, value: &'v Value, tail: &str) -> Option<&'v Value> {
        if self.plain {
            crate::context::plain_dotted_pointer(value, tail)
        } else {
            dotted_pointer(value, tail)
        }
    }

    /// `value_by_pointer` for this path's tail.
    fn within_val<'a>(&self, val: &Val<'a>, tail: &str) -> Option<Val<'a>> {
        match *val {
            Cow::Borrowed(r) => self.within(r, tail).map(Cow::Borrowed),
            Cow::Owned(ref r) => self.within(r, tail).map(|found| Cow::Owned(found.clone())),
        }
    }
}

/// Enumerates the types of stack frames
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FrameType {
    /// Original frame
    Origin,
    /// New frame for macro call
    Macro,
    /// New frame for for loop
    ForLoop,
    /// Include template
    Include,
}

/// Entry in the stack frame
#[derive(Debug)]
pub struct StackFrame<'a> {
    /// Type of stack frame
    pub kind: FrameType,
    /// Frame name for context/debugging
    pub name: &'a str,
    /// Assigned value (via {% set ... %}, {% for ... %}, {% namespace::macro(a=a, b=b) %})
    ///
    /// - {% set ... %} adds to current frame_context
    /// - {% for ... %} builds frame_context before iteration
    /// - {% namespace::macro(a=a, b=b)} builds frame_context before invocation
    context: FrameContext<'a>,
    /// Active template for frame
    pub active_template: &'a Template,
    /// `ForLoop` if frame is for a for loop
    pub for_loop: Option<ForLoop<'a>>,
    /// Macro namespace if MacroFrame
    pub macro_namespace: Option<&'a str>,
}

impl<'a> StackFrame<'a> {
    pub fn new(kind: FrameType, name: &'a str, tpl: &'a Template) -> Self {
        StackFrame {
            kind,
            name,
            context: FrameContext::default(),
            active_template: tpl,
            for_loop: None,
            macro_namespace: None,
        }
    }

    pub fn new_for_loop(name: &'a str, tpl: &'a Template, for_loop: ForLoop<'a>) -> Self {
        StackFrame {
            kind: FrameType::ForLoop,
            name,
            context: FrameContext::default(),
            active_template: tpl,
            for_loop: Some(for_loop),
            macro_namespace: None,
        }
    }

    pub fn new_macro(
        name: &'a str,
        tpl: &'a Template,
        macro_namespace: &'a str,
        context: FrameContext<'a>,
    ) -> Self {
        StackFrame {
            kind: FrameType::Macro,
            name,
            context,
            active_template: tpl,
            for_loop: None,
            macro_namespace: Some(macro_namespace),
        }
    }

    pub fn new_include(name: &'a str, tpl: &'a Template) -> Self {
        StackFrame {
            kind: FrameType::Include,
            name,
            context: FrameContext::default(),
            active_template: tpl,
            for_loop: None,
            macro_namespace: None,
        }
    }

    /// Finds a value in the stack frame.
    /// Looks first in `frame_context`, then compares to for_loop key_name and value_name.
    pub fn find_value(&self, path: &VarPath) -> Option<Val<'a>> {
        self.find_value_in_frame(path).or_else(|| self.find_value_in_for_loop(path))
    }

    /// Finds a value in `frame_context`.
    pub fn find_value_in_frame(&self, path: &VarPath) -> Option<Val<'a>> {
        if self.context.is_empty() {
            return None;
        }
        if path.dot.is_some() {
            let (root, tail) = path.split();
            if let Some(found_value) = self.context.get(root).map(|v| path.within_val(v, tail)) {
                return found_value;
            }
        } else if let Some(found) = self.context.get(path.full) {
            return Some(found.clone());
        }

        None
    }
    /// Finds a value in the `for_loop` if there is one
    pub fn find_value_in_for_loop(&self, path: &VarPath) -> Option<Val<'a>> {
        if let Some(ref for_loop) = self.for_loop {
            let key = path.full;
            // 1st case: the variable is the key of a KeyValue for loop
            if for_loop.is_key(key) {
                return Some(Cow::Owned(Value::String(for_loop.get_current_key())));
            }

            let (real_key, tail) = path.split();

            // 2nd case: one of Tera loop built-in variable
            if real_key == "loop" {
                match tail {
                    "index" => {
                        return Some(Cow::Owned(Value::Number((for_loop.current + 1).into())));
                    }
                    "index0" => {
                        return Some(Cow::Owned(Value::Number(for_loop.current.into())));
                    }
                    "first" => {
                        return Some(Cow::Owned(Value::Bool(for_loop.current == 0)));
                    }
                    "last" => {
                        return Some(Cow::Owned(Value::Bool(
                            for_loop.current == for_loop.len() - 1,
                        )));
                    }
                    _ => return None,
                };
            }

            // Last case: the variable is/starts with the value name of the for loop
            // The `set` case will have been taken into account before

            // Exact match to the loop value and no tail
            if key == for_loop.value_name {
                return Some(for_loop.get_current_value());
            }

            if real_key == for_loop.value_name && !tail.is_empty() {
                return path.within_val(&for_loop.get_current_value(), tail);
            }
        }

        None
    }

    /// Insert a value in the context
    pub fn insert(&mut self, key: &'a str, value: Val<'a>) {
        self.context.insert(key, value);
    }

    /// Context is cleared on each loop
    pub fn clear_context(&mut self) {
        if self.for_loop.is_some() {
            self.context.clear();
        }
    }

    pub fn context_owned(&self) -> HashMap<String, Value> {
        let mut context = HashMap::new();

        for (key, val) in self.context.iter() {
            context.insert(key.to_string(), val.clone().into_owned());
        }

        context
    }
}
