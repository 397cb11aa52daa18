#!/usr/bin/env python3
"""Builds the static API reference from docs/openapi.yaml (Python 3 stdlib only).

    build-reference.py SPEC.yaml OUTDIR

writes OUTDIR/index.html (served at /api/docs), OUTDIR/openapi.yaml (a copy),
OUTDIR/openapi.json (the same document as JSON) and OUTDIR/reference.css.
The page has no scripts and loads nothing from other hosts, as the site's CSP
(default-src 'self'; script-src 'self') requires.

There is no YAML library in the standard library, so the spec is read by the
small parser below. It takes the subset of YAML the spec is written in (block
mappings and sequences indented by spaces, one-line flow collections, plain,
single- and double-quoted scalars, `|` literal blocks, full-line comments) and
refuses anything else, including plain scalars that YAML 1.1 readers would
type differently (yes/no/on/off, dates, octal, sexagesimal): quote those.

    build-reference.py --check SPEC.yaml [ROUTES]

only parses and checks the spec: every operation has an operationId, summary,
tags, security and responses, references resolve, and with ROUTES (the output
of `waqtor-api --routes`) the operations equal the route table. Exit status 1
on any problem.
"""
import html
import json
import os
import re
import shutil
import sys


# --------------------------------------------------------------------------
# The YAML subset
# --------------------------------------------------------------------------

class YamlError(Exception):
    pass


_NUL = object()		# "no value yet" marker of the flow parser


def _resolve_plain(s, where):
    """The value of a plain scalar, the way a YAML 1.1 reader types it."""
    if s in ("~", "null", "Null", "NULL"):
        return None
    if s in ("true", "True", "TRUE"):
        return True
    if s in ("false", "False", "FALSE"):
        return False
    if s.lower() in ("yes", "no", "on", "off", "y", "n"):
        raise YamlError("%s: quote %r (YAML 1.1 reads it as a boolean)" % (where, s))
    if re.fullmatch(r"[-+]?(0|[1-9][0-9]*)", s):
        return int(s)
    if re.fullmatch(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])*", s) or \
            re.fullmatch(r"[-+]?0[xob]?[0-9a-fA-F_]+", s):
        raise YamlError("%s: quote %r (ambiguous number)" % (where, s))
    if re.fullmatch(r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?", s) or \
            s.lower() in (".inf", "-.inf", "+.inf", ".nan"):
        raise YamlError("%s: quote %r (floats are not supported)" % (where, s))
    if re.match(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", s):
        raise YamlError("%s: quote %r (YAML 1.1 reads it as a timestamp)" % (where, s))
    if s in ("=", "<<"):
        raise YamlError("%s: quote %r" % (where, s))
    return s


def _check_plain_start(s, where):
    if s == "":
        raise YamlError("%s: empty value" % where)
    c = s[0]
    if c in "[]{},#&*!|>'\"%@`" or (c in "-?:" and (len(s) == 1 or s[1] == " ")):
        raise YamlError("%s: a plain scalar cannot start with %r: quote it" % (where, c))


_DQ_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "n": "\n", "t": "\t", "r": "\r",
               "0": "\0", " ": " ", "b": "\b", "f": "\f", "e": "\x1b", "a": "\x07"}


def _double_quoted(s, pos, where):
    """Parses "..." starting at s[pos]; (value, position after it)."""
    out, i = [], pos + 1
    while i < len(s):
        c = s[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\":
            i += 1
            if i >= len(s):
                break
            e = s[i]
            if e in _DQ_ESCAPES:
                out.append(_DQ_ESCAPES[e])
                i += 1
                continue
            n = {"x": 2, "u": 4, "U": 8}.get(e)
            if n is None or not re.fullmatch(r"[0-9a-fA-F]{%d}" % n, s[i + 1:i + 1 + n]):
                raise YamlError("%s: unsupported escape \\%s" % (where, e))
            out.append(chr(int(s[i + 1:i + 1 + n], 16)))
            i += 1 + n
            continue
        out.append(c)
        i += 1
    raise YamlError("%s: unterminated double-quoted string (they must end on their line)" % where)


def _single_quoted(s, pos, where):
    out, i = [], pos + 1
    while i < len(s):
        if s[i] == "'":
            if s[i + 1:i + 2] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out), i + 1
        out.append(s[i])
        i += 1
    raise YamlError("%s: unterminated single-quoted string (they must end on their line)" % where)


class _Flow:
    """One-line flow collections: {a: b, c: [d, "e"]}."""

    def __init__(self, s, where):
        self.s, self.i, self.where = s, 0, where

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1

    def node(self):
        self.ws()
        s, i = self.s, self.i
        if i >= len(s):
            raise YamlError("%s: value missing in flow collection" % self.where)
        c = s[i]
        if c == "{":
            return self.mapping()
        if c == "[":
            return self.sequence()
        if c == '"':
            v, self.i = _double_quoted(s, i, self.where)
            return v
        if c == "'":
            v, self.i = _single_quoted(s, i, self.where)
            return v
        return _resolve_plain(self.plain(), self.where)

    def plain(self):
        s, start = self.s, self.i
        while self.i < len(s):
            c = s[self.i]
            if c in ",[]{}":
                break
            if c == "?":
                raise YamlError("%s: quote flow scalars containing '?'" % self.where)
            if c == ":" and (self.i + 1 == len(s) or s[self.i + 1] in " ,[]{}"):
                break
            if c == "#" and self.i > start and s[self.i - 1] == " ":
                raise YamlError("%s: ' #' starts a comment: quote the scalar" % self.where)
            self.i += 1
        v = s[start:self.i].rstrip(" ")
        _check_plain_start(v, self.where)
        return v

    def expect(self, ch):
        self.ws()
        if self.i >= len(self.s) or self.s[self.i] != ch:
            raise YamlError("%s: expected %r in flow collection" % (self.where, ch))
        self.i += 1

    def mapping(self):
        self.i += 1
        out = {}
        self.ws()
        if self.s[self.i:self.i + 1] == "}":
            self.i += 1
            return out
        while True:
            self.ws()
            if self.s[self.i:self.i + 1] in ('"', "'"):
                key = self.node()
            else:
                key = _resolve_plain(self.plain(), self.where)
            if not isinstance(key, str):
                raise YamlError("%s: quote the key %r" % (self.where, key))
            if self.s[self.i:self.i + 2] != ": ":
                raise YamlError("%s: expected ': ' after the key %r" % (self.where, key))
            self.i += 2
            if key in out:
                raise YamlError("%s: duplicate key %r" % (self.where, key))
            out[key] = self.node()
            self.ws()
            if self.s[self.i:self.i + 1] == ",":
                self.i += 1
                continue
            self.expect("}")
            return out

    def sequence(self):
        self.i += 1
        out = []
        self.ws()
        if self.s[self.i:self.i + 1] == "]":
            self.i += 1
            return out
        while True:
            out.append(self.node())
            self.ws()
            if self.s[self.i:self.i + 1] == ",":
                self.i += 1
                continue
            self.expect("]")
            return out


def _inline(text, where):
    """A value on the rest of a line: flow collection, quoted or plain scalar."""
    c = text[0]
    if c in "{[":
        f = _Flow(text, where)
        v = f.node()
        f.ws()
        if f.i != len(text):
            raise YamlError("%s: unexpected text after the flow collection" % where)
        return v
    if c in "\"'":
        v, end = (_double_quoted if c == '"' else _single_quoted)(text, 0, where)
        if text[end:].strip():
            raise YamlError("%s: unexpected text after the quoted string" % where)
        return v
    _check_plain_start(text, where)
    if ": " in text or text.endswith(":"):
        raise YamlError("%s: ': ' in a plain scalar: quote it" % where)
    if " #" in text:
        raise YamlError("%s: ' #' starts a comment: quote the scalar" % where)
    return _resolve_plain(text, where)


def _indent(line):
    return len(line) - len(line.lstrip(" "))


class _Block:
    def __init__(self, text, name):
        if "\t" in text:
            raise YamlError("%s: tabs are not allowed" % name)
        self.lines = text.split("\n")
        self.name = name
        self.i = 0

    def where(self, i=None):
        return "%s:%d" % (self.name, (self.i if i is None else i) + 1)

    def skip(self):
        while self.i < len(self.lines):
            t = self.lines[self.i].strip()
            if t == "" or t.startswith("#"):
                self.i += 1
                continue
            break

    def document(self):
        self.skip()
        if self.i < len(self.lines) and self.lines[self.i].strip() == "---":
            self.i += 1
            self.skip()
        if self.i >= len(self.lines):
            return None
        if _indent(self.lines[self.i]) != 0:
            raise YamlError("%s: the document must start at column 1" % self.where())
        v = self.node(0)
        self.skip()
        if self.i < len(self.lines):
            raise YamlError("%s: unexpected indentation" % self.where())
        return v

    def node(self, indent):
        line = self.lines[self.i]
        if line[indent:].startswith("- ") or line[indent:] == "-":
            return self.sequence(indent)
        return self.mapping(indent)

    def split_key(self, text):
        where = self.where()
        if text[0] in "\"'":
            key, end = (_double_quoted if text[0] == '"' else _single_quoted)(text, 0, where)
            if text[end:end + 1] != ":":
                raise YamlError("%s: expected ':' after the key" % where)
            rest = text[end + 1:]
        else:
            m = re.match(r"(.*?):( |$)", text)
            if m is None:
                raise YamlError("%s: expected 'key: value'" % where)
            _check_plain_start(m.group(1), where)
            key = _resolve_plain(m.group(1), where)
            if not isinstance(key, str):
                raise YamlError("%s: quote the key %r" % (where, m.group(1)))
            rest = text[m.end(1) + 1:]
        if rest and rest[0] != " ":
            raise YamlError("%s: expected ': ' after the key" % where)
        return key, rest.strip(" ")

    def mapping(self, indent):
        out = {}
        while True:
            self.skip()
            if self.i >= len(self.lines):
                return out
            line = self.lines[self.i]
            ind = _indent(line)
            if ind < indent:
                return out
            if ind > indent:
                raise YamlError("%s: unexpected indentation" % self.where())
            text = line[ind:]
            if text.startswith("- ") or text == "-":
                raise YamlError("%s: a sequence item where a key was expected" % self.where())
            key, rest = self.split_key(text)
            if key in out:
                raise YamlError("%s: duplicate key %r" % (self.where(), key))
            out[key] = self.value(rest, indent)

    def sequence(self, indent):
        out = []
        while True:
            self.skip()
            if self.i >= len(self.lines):
                return out
            line = self.lines[self.i]
            ind = _indent(line)
            if ind < indent:
                return out
            if ind > indent or not (line[ind:].startswith("- ") or line[ind:] == "-"):
                raise YamlError("%s: expected a sequence item" % self.where())
            rest = line[ind + 2:].strip(" ")
            if rest == "":
                raise YamlError("%s: put the item on the line of its '-'" % self.where())
            if rest[0] not in "{[\"'" and re.match(r"[^ ].*?:( |$)", rest):
                # "- key: value" opens a mapping indented by two more columns
                self.lines[self.i] = " " * (ind + 2) + rest
                out.append(self.mapping(ind + 2))
            else:
                out.append(self.value(rest, indent, in_seq=True))

    def value(self, rest, indent, in_seq=False):
        where = self.where()
        self.i += 1
        if rest == "":
            if in_seq:
                raise YamlError("%s: empty sequence item" % where)
            self.skip()
            if self.i < len(self.lines) and _indent(self.lines[self.i]) > indent:
                return self.node(_indent(self.lines[self.i]))
            return None
        if rest in ("|", "|-"):
            return self.literal(indent, rest == "|-")
        if rest[0] in "|>":
            raise YamlError("%s: only '|' and '|-' blocks are supported" % where)
        return _inline(rest, where)

    def literal(self, indent, strip):
        start, block, lines = self.i, None, []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip() == "":
                lines.append("")
                self.i += 1
                continue
            ind = _indent(line)
            if block is None:
                if ind <= indent:
                    break
                block = ind
            if ind < block:
                break
            lines.append(line[block:])
            self.i += 1
        # blank lines after the block belong to what follows
        while lines and lines[-1] == "":
            lines.pop()
        self.i = start + len(lines)
        if not lines:
            raise YamlError("%s: empty '|' block" % self.where(start))
        return "\n".join(lines) + ("" if strip else "\n")


def load_yaml(text, name="<yaml>"):
    return _Block(text, name).document()


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def spec_lines_operations(text):
    """(METHOD, path) pairs read as tests/integration/test_api.py reads them."""
    ops, in_paths, current = set(), False, None
    for line in text.split("\n"):
        if re.match(r"^\S", line):
            in_paths = line.startswith("paths:")
            continue
        if not in_paths:
            continue
        m = re.match(r"^  (/\S*):\s*$", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^    (get|put|post|delete|patch|head|options):\s*$", line)
        if m and current:
            ops.add((m.group(1).upper(), current))
    return ops


def ref_target(spec, ref):
    if not ref.startswith("#/"):
        raise KeyError(ref)
    node = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def check(spec, text, routes=None):
    problems = []
    ops = set()
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method not in METHODS:
                problems.append("%s: %r is not a method" % (path, method))
                continue
            ops.add((method.upper(), path))
            for field in ("operationId", "summary", "tags", "security", "responses"):
                if field not in op:
                    problems.append("%s %s: no %s" % (method.upper(), path, field))
            for name in re.findall(r"\{(\w+)\}", path):
                params = [resolve(spec, p) for p in op.get("parameters", [])]
                if not any(p.get("in") == "path" and p.get("name") == name for p in params):
                    problems.append("%s %s: path parameter %s undocumented" % (method.upper(), path, name))
    if spec_lines_operations(text) != ops:
        problems.append("the line layout of paths: does not match the document "
                        "(paths at two spaces, methods at four, nothing else there)")
    ids = [op.get("operationId") for item in spec.get("paths", {}).values() for op in item.values()]
    for dup in sorted(set(i for i in ids if ids.count(i) > 1)):
        problems.append("operationId %s is used twice" % dup)

    def walk(node, where):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                try:
                    ref_target(spec, node["$ref"])
                except (KeyError, TypeError):
                    problems.append("%s: unresolved $ref %s" % (where, node["$ref"]))
            for k, v in node.items():
                walk(v, where + "/" + str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (where, i))
    walk(spec, "#")
    if routes is not None:
        for m, p in sorted(set(routes) - ops):
            problems.append("route %s %s is not documented" % (m, p))
        for m, p in sorted(ops - set(routes)):
            problems.append("documented %s %s is not routed" % (m, p))
        for (m, p), role in sorted(routes.items()):
            op = spec.get("paths", {}).get(p, {}).get(m.lower())
            if role is not None and op is not None and op_role(op) != role:
                problems.append("%s %s: x-role is %s, the route table says %s" % (m, p, op_role(op), role))
    return problems


def op_role(op):
    """The least role an operation needs: x-role, or any when it is public."""
    return op.get("x-role", "any" if op.get("security") == [] else None)


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------

def esc(s):
    return html.escape(str(s), quote=True)


def inline_md(s):
    """Escapes s and renders `code` and **strong**."""
    out = []
    for i, part in enumerate(re.split(r"(`[^`]*`)", s)):
        if i % 2:
            out.append("<code>%s</code>" % esc(part[1:-1]))
        else:
            out.append(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", esc(part)))
    return "".join(out)


def markdown(text, heading="h3"):
    """Paragraphs, '- ' lists and '## ' headings: what the spec's texts use."""
    if not text:
        return ""
    out, para, items = [], [], []

    def flush():
        if para:
            out.append("<p>%s</p>" % inline_md(" ".join(para)))
            del para[:]
        if items:
            out.append("<ul>%s</ul>" % "".join("<li>%s</li>" % inline_md(" ".join(i))
                                                for i in items))
            del items[:]
    for line in text.split("\n"):
        s = line.strip()
        if s == "":
            flush()
        elif s.startswith("## "):
            flush()
            out.append("<%s>%s</%s>" % (heading, inline_md(s[3:]), heading))
        elif s.startswith("- "):
            if para:
                flush()
            items.append([s[2:]])
        elif items:
            items[-1].append(s)
        else:
            para.append(s)
    flush()
    return "\n".join(out)


def resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        node = ref_target(spec, node["$ref"])
    return node


def ref_name(node):
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return node["$ref"].rsplit("/", 1)[-1]
    return None


class Renderer:
    def __init__(self, spec):
        self.spec = spec
        self.schemas = spec.get("components", {}).get("schemas", {})

    def is_object(self, s):
        s = resolve(self.spec, s)
        return isinstance(s, dict) and ("properties" in s or s.get("type") == "object")

    def type_label(self, s):
        name = ref_name(s)
        if name:
            return '<a href="#schema-%s">%s</a>' % (esc(name), esc(name))
        if not isinstance(s, dict):
            return ""
        variants = self.variants(s)
        if variants:
            return " | ".join(self.type_label(v) for v in variants)
        if len(s.get("allOf", [])) == 1 and "type" not in s:
            return self.type_label(s["allOf"][0])
        if "const" in s:
            return "<code>%s</code>" % esc(json.dumps(s["const"]))
        t = s.get("type")
        if isinstance(t, list):
            label = " | ".join(esc(x) for x in t)
        elif t == "array":
            label = "array of " + (self.type_label(s.get("items", {})) or "any")
        elif t:
            label = esc(t)
        else:
            label = "any"
        if s.get("format"):
            label += " (%s)" % esc(s["format"])
        if s.get("contentMediaType"):
            label += " (%s)" % esc(s["contentMediaType"])
        return label

    def constraints(self, s):
        """Bounds of s (of the named schema too when it is not an object)."""
        if ref_name(s) and not self.is_object(s):
            s = resolve(self.spec, s)
        if not isinstance(s, dict):
            return ""
        c = []
        lo, hi = s.get("minLength"), s.get("maxLength")
        if lo is not None and lo == hi:
            c.append("exactly %d characters" % lo)
        elif lo is not None and hi is not None:
            c.append("%d to %d characters" % (lo, hi))
        elif hi is not None:
            c.append("at most %d characters" % hi)
        elif lo:
            c.append("at least %d characters" % lo)
        lo, hi = s.get("minimum"), s.get("maximum")
        if lo is not None and hi is not None:
            c.append("%s to %s" % (lo, hi))
        elif lo is not None:
            c.append("≥ %s" % lo)
        elif hi is not None:
            c.append("≤ %s" % hi)
        if "enum" in s:
            c.append("one of " + ", ".join("<code>%s</code>" % esc(v) for v in s["enum"]))
        if s.get("format") and ref_name(s) is None and "type" not in s:
            c.append("format " + esc(s["format"]))
        if "pattern" in s:
            c.append("pattern <code>%s</code>" % esc(s["pattern"]))
        if "default" in s:
            c.append("default <code>%s</code>" % esc(json.dumps(s["default"])))
        lo, hi = s.get("minItems"), s.get("maxItems")
        if lo is not None and hi is not None:
            c.append("%d to %d items" % (lo, hi))
        elif hi is not None:
            c.append("at most %d items" % hi)
        elif lo:
            c.append("at least %d items" % lo)
        if s.get("type") == "array" and not self.is_object(s.get("items", {})):
            inner = self.constraints(s.get("items", {}))
            if inner:
                c.append("each: " + inner)
        if s.get("writeOnly"):
            c.append("<strong>write-only</strong>")
        if s.get("uniqueItems"):
            c.append("unique items")
        return "; ".join(c)

    def description(self, s):
        d = s.get("description") if isinstance(s, dict) else None
        if not d and ref_name(s):
            target = resolve(self.spec, s)
            if not self.is_object(target):
                d = target.get("description")
        return inline_md(" ".join(d.split())) if d else ""

    def rows(self, s, prefix="", depth=0):
        """Field rows of an object schema, nested objects as dotted names."""
        s = resolve(self.spec, s)
        out = []
        if not isinstance(s, dict) or depth > 6:
            return out
        required = set(s.get("required", []))
        for name, prop in s.get("properties", {}).items():
            out.append(("field", prefix + name, self.type_label(prop), name in required,
                        self.constraints(prop), self.description(prop)))
            out.extend(self.nested(prop, prefix + name, depth))
        return out

    def nested(self, prop, path, depth):
        target = resolve(self.spec, prop)
        if not isinstance(target, dict):
            return []
        variants = self.variants(target)
        if variants:
            objs = [v for v in variants if self.is_object(v) and resolve(self.spec, v).get("properties")]
            out = []
            for v in objs:
                if len(objs) > 1:
                    out.append(("variant", path, ref_name(v) or "object"))
                out.extend(self.rows(v, path + ".", depth + 1))
            return out
        if target.get("type") == "array":
            items = target.get("items", {})
            if self.is_object(items):
                return self.rows(items, path + "[].", depth + 1)
            return []
        if self.is_object(target) and target.get("properties"):
            return self.rows(target, path + ".", depth + 1)
        return []

    def variants(self, s):
        """The alternatives of a oneOf/anyOf schema (not of an object whose
        oneOf only says which of its fields are required)."""
        if not isinstance(s, dict) or s.get("properties"):
            return None
        return s.get("oneOf") or s.get("anyOf")

    def exclusive_note(self, s):
        """'Exactly one of' notes for oneOf: [{required: [a]}, {required: [b]}]."""
        alts = s.get("oneOf") if isinstance(s, dict) and s.get("properties") else None
        if not alts or not all(set(a) == {"required"} for a in alts):
            return ""
        names = ", ".join("<code>%s</code>" % esc(n) for a in alts for n in a["required"])
        return '<p class="note">Exactly one of %s is required.</p>' % names

    def table(self, rows, closed=False):
        if not rows:
            return ""
        out = ['<table class="fields"><thead><tr><th>Field</th><th>Type</th>'
               '<th>Required</th><th>Constraints</th><th>Description</th></tr></thead><tbody>']
        for r in rows:
            if r[0] == "variant":
                out.append('<tr class="variant"><td colspan="5"><code>%s</code> as '
                           '<a href="#schema-%s">%s</a>:</td></tr>' % (esc(r[1]), esc(r[2]), esc(r[2])))
                continue
            _, name, typ, req, cons, desc = r
            out.append("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                       % (esc(name), typ, "yes" if req else "", cons, desc))
        out.append("</tbody></table>")
        if closed:
            out.append('<p class="note">No other fields are accepted '
                       '(<code>validation_failed</code>: “is not a known field”).</p>')
        return "\n".join(out)

    def schema_block(self, schema, closed_note=True):
        """Fields of a body schema; each variant of a oneOf on its own."""
        target = resolve(self.spec, schema)
        out = []
        name = ref_name(schema)
        if name:
            out.append('<p class="schema">Schema: <a href="#schema-%s">%s</a></p>' % (esc(name), esc(name)))
        variants = self.variants(target)
        if variants:
            if target.get("description"):
                out.append(markdown(target["description"]))
            for v in variants:
                vt = resolve(self.spec, v)
                out.append('<p class="variant-title">One of: %s</p>' % self.type_label(v))
                if vt.get("description"):
                    out.append(markdown(vt["description"]))
                out.append(self.table(self.rows(v), closed_note and vt.get("additionalProperties") is False))
        elif self.is_object(target):
            out.append(self.exclusive_note(target))
            out.append(self.table(self.rows(target),
                                  closed_note and target.get("additionalProperties") is False))
        else:
            out.append("<p>%s</p>" % self.type_label(schema))
        return "\n".join(out)

    def auth_label(self, op):
        sec = op.get("security")
        if sec is None:
            sec = self.spec.get("security", [])
        if not sec:
            return '<span class="auth none">none (public)</span>'
        names = [" + ".join(req.keys()) for req in sec]
        label = {("apiKey", "session"): "API key or session",
                 ("session",): "session only (no API key)",
                 ("apiKey",): "API key only"}.get(tuple(names), " or ".join(names))
        return '<span class="auth">%s</span>' % esc(label)

    def error_codes(self, resp):
        codes = []
        for media in resp.get("content", {}).values():
            for ex in (media.get("examples") or {}).values():
                v = resolve(self.spec, ex).get("value")
                if isinstance(v, dict) and isinstance(v.get("error"), dict):
                    codes.append(v["error"].get("code"))
            v = media.get("example")
            if isinstance(v, dict) and isinstance(v.get("error"), dict):
                codes.append(v["error"].get("code"))
        return [c for i, c in enumerate(codes) if c and c not in codes[:i]]

    def operation(self, path, method, op):
        spec = self.spec
        out = ['<article class="op" id="%s">' % esc(op.get("operationId", method + path))]
        out.append('<h3><span class="method %s">%s</span> <code class="path">%s</code></h3>'
                   % (esc(method), esc(method.upper()), esc(path)))
        out.append('<p class="summary">%s</p>' % inline_md(op.get("summary", "")))
        badges = ["Auth: " + self.auth_label(op)]
        if op.get("x-role") in ("admin", "owner"):
            badges.append('<span class="role">role: %s%s</span>'
                          % (esc(op["x-role"]), " or owner" if op["x-role"] == "admin" else ""))
        if op.get("x-premium"):
            badges.append('<span class="premium">premium: needs an active plan (402)</span>')
        badges.append('<span class="opid">operationId <code>%s</code></span>' % esc(op.get("operationId", "")))
        out.append('<p class="badges">%s</p>' % " · ".join(badges))
        out.append(markdown(op.get("description", "")))

        params = [resolve(spec, p) for p in op.get("parameters", [])]
        if params:
            out.append("<h4>Parameters</h4>")
            out.append('<table class="fields"><thead><tr><th>Name</th><th>In</th><th>Type</th>'
                       '<th>Required</th><th>Constraints</th><th>Description</th></tr></thead><tbody>')
            for p in params:
                sch = p.get("schema", {})
                out.append("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                           % (esc(p.get("name")), esc(p.get("in")), self.type_label(sch),
                              "yes" if p.get("required") else "", self.constraints(sch),
                              inline_md(" ".join(p.get("description", "").split()))))
            out.append("</tbody></table>")

        body = op.get("requestBody")
        if body:
            body = resolve(spec, body)
            out.append("<h4>Request body</h4>")
            content = body.get("content", {})
            out.append('<p class="media">%s%s</p>' % (
                ", ".join("<code>%s</code>" % esc(m) for m in content),
                " (required)" if body.get("required") else " (optional)"))
            for media, m in content.items():
                if len(content) > 1:
                    out.append('<p class="variant-title">As <code>%s</code>:</p>' % esc(media))
                if "schema" in m:
                    out.append(self.schema_block(m["schema"], media == "application/json"))
                ex = m.get("example")
                if ex is not None:
                    out.append('<pre class="example">%s</pre>' % esc(json.dumps(ex, indent=2, ensure_ascii=False)))
                for exname, exv in (m.get("examples") or {}).items():
                    out.append('<p class="variant-title">Example <code>%s</code>:</p><pre class="example">%s</pre>'
                               % (esc(exname), esc(json.dumps(resolve(spec, exv).get("value"), indent=2,
                                                              ensure_ascii=False))))
        elif method in ("post", "patch", "put"):
            out.append("<h4>Request body</h4><p>None.</p>")

        out.append("<h4>Responses</h4>")
        out.append('<table class="responses"><thead><tr><th>Status</th><th>Meaning</th>'
                   '<th>Error codes</th><th>Body</th><th>Headers</th></tr></thead><tbody>')
        details = []
        for status, resp in op.get("responses", {}).items():
            r = resolve(spec, resp)
            content = r.get("content", {})
            bodies = []
            for media, m in content.items():
                label = self.type_label(m["schema"]) if "schema" in m else ""
                bodies.append("<code>%s</code> %s" % (esc(media), label) if media != "application/json" or not label
                              else label)
            codes = ", ".join("<code>%s</code>" % esc(c) for c in self.error_codes(r))
            heads = ", ".join("<code>%s</code>" % esc(h) for h in r.get("headers", {}))
            out.append('<tr class="s%s"><td><span class="status s%s">%s</span></td><td>%s</td>'
                       '<td>%s</td><td>%s</td><td>%s</td></tr>'
                       % (esc(str(status)[0]), esc(str(status)[0]), esc(status),
                          inline_md(" ".join(r.get("description", "").split())),
                          codes, "<br>".join(bodies) or "none", heads))
            if str(status).startswith("2"):
                js = content.get("application/json")
                if js and "schema" in js:
                    block = self.schema_block(js["schema"], closed_note=False)
                    ex = js.get("example")
                    if ex is not None:
                        block += '\n<pre class="example">%s</pre>' % esc(json.dumps(ex, indent=2, ensure_ascii=False))
                    details.append('<details open><summary>%s response body</summary>\n%s\n</details>'
                                   % (esc(status), block))
        out.append("</tbody></table>")
        out.extend(details)
        out.append("</article>")
        return "\n".join(out)

    def page(self):
        spec = self.spec
        info = spec.get("info", {})
        tags = [t["name"] for t in spec.get("tags", [])]
        tag_desc = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
        by_tag = {}
        for path, item in spec.get("paths", {}).items():
            for method, op in item.items():
                tag = (op.get("tags") or ["other"])[0]
                if tag not in tags:
                    tags.append(tag)
                by_tag.setdefault(tag, []).append((path, method, op))
        nops = sum(len(v) for v in by_tag.values())

        nav = ['<nav><p class="navtitle"><a href="#overview">Overview</a></p>',
               '<p class="navtitle"><a href="#security">Authentication</a></p>']
        for tag in tags:
            if tag not in by_tag:
                continue
            nav.append('<p class="navtitle"><a href="#tag-%s">%s</a></p><ul>' % (esc(tag), esc(tag)))
            for path, method, op in by_tag[tag]:
                nav.append('<li><a href="#%s"><span class="method %s">%s</span> %s</a></li>'
                           % (esc(op.get("operationId")), esc(method), esc(method.upper()), esc(path)))
            nav.append("</ul>")
        nav.append('<p class="navtitle"><a href="#schemas">Schemas</a></p></nav>')

        main = ['<section id="overview"><h2>Overview</h2>', markdown(info.get("description", "")), "</section>"]
        main.append('<section id="security"><h2>Authentication</h2>'
                    '<table class="fields"><thead><tr><th>Scheme</th><th>Sent as</th><th>Description</th>'
                    '</tr></thead><tbody>')
        for name, sch in spec.get("components", {}).get("securitySchemes", {}).items():
            main.append("<tr><td><code>%s</code></td><td>%s <code>%s</code></td><td>%s</td></tr>"
                        % (esc(name), esc(sch.get("in", "")), esc(sch.get("name", "")),
                           markdown(sch.get("description", ""))))
        main.append("</tbody></table></section>")
        for tag in tags:
            if tag not in by_tag:
                continue
            main.append('<section class="tag" id="tag-%s"><h2>%s</h2>' % (esc(tag), esc(tag)))
            main.append(markdown(tag_desc.get(tag, "")))
            for path, method, op in by_tag[tag]:
                main.append(self.operation(path, method, op))
            main.append("</section>")
        main.append('<section id="schemas"><h2>Schemas</h2>')
        for name, sch in self.schemas.items():
            main.append('<article class="schema" id="schema-%s"><h3>%s</h3>' % (esc(name), esc(name)))
            main.append(markdown(sch.get("description", "")))
            if self.is_object(sch) and sch.get("properties"):
                main.append(self.exclusive_note(sch))
                main.append(self.table(self.rows(sch), sch.get("additionalProperties") is False))
            elif sch.get("oneOf") or sch.get("anyOf"):
                main.append("<p>One of: %s</p>" % self.type_label(sch))
            else:
                cons = self.constraints(sch)
                main.append("<p>%s%s</p>" % (self.type_label(sch), (": " + cons) if cons else ""))
            if "example" in sch:
                main.append('<pre class="example">%s</pre>'
                            % esc(json.dumps(sch["example"], indent=2, ensure_ascii=False)))
            main.append("</article>")
        main.append("</section>")

        return """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s %(version)s — API reference</title>
<link rel="stylesheet" href="/api/docs/reference.css">
</head>
<body>
<header>
<h1>%(title)s <span class="version">%(version)s</span></h1>
<p>%(summary)s %(nops)d operations. OpenAPI %(oas)s:
<a href="/api/docs/openapi.yaml">openapi.yaml</a> ·
<a href="/api/docs/openapi.json">openapi.json</a></p>
</header>
<div class="layout">
%(nav)s
<main>
%(main)s
</main>
</div>
</body>
</html>
""" % {"title": esc(info.get("title", "API")), "version": esc(info.get("version", "")),
       "summary": inline_md(info.get("summary", "")), "nops": nops,
       "oas": esc(spec.get("openapi", "")), "nav": "\n".join(nav), "main": "\n".join(main)}


# --------------------------------------------------------------------------

def read_spec(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return text, load_yaml(text, os.path.basename(path))


def main(argv):
    if len(argv) >= 2 and argv[0] == "--check":
        try:
            text, spec = read_spec(argv[1])
        except YamlError as e:
            print("build-reference: %s" % e, file=sys.stderr)
            return 1
        routes = None
        if len(argv) > 2:
            with open(argv[2]) as f:
                # "METHOD PATH" or "METHOD PATH ROLE"
                routes = {tuple(l.split()[:2]): (l.split()[2:] or [None])[0]
                          for l in f.read().splitlines() if l.strip()}
        problems = check(spec, text, routes)
        for p in problems:
            print("build-reference: %s" % p, file=sys.stderr)
        return 1 if problems else 0
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    src, outdir = argv
    try:
        text, spec = read_spec(src)
    except YamlError as e:
        print("build-reference: %s" % e, file=sys.stderr)
        return 1
    problems = check(spec, text)
    if problems:
        for p in problems:
            print("build-reference: %s" % p, file=sys.stderr)
        return 1
    os.makedirs(outdir, exist_ok=True)
    page = Renderer(spec).page()
    outputs = {"index.html": page, "openapi.json": json.dumps(spec, indent=2, ensure_ascii=False) + "\n"}
    for name, content in outputs.items():
        tmp = os.path.join(outdir, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(content)
        os.replace(tmp, os.path.join(outdir, name))
    shutil.copyfile(src, os.path.join(outdir, "openapi.yaml"))
    shutil.copyfile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.css"),
                    os.path.join(outdir, "reference.css"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
