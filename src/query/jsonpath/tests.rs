use serde_json::json;

use super::Template;

fn text(t: &str, v: &serde_json::Value) -> String {
    Template::parse(t).unwrap().text(v, true).unwrap()
}

fn pods() -> serde_json::Value {
    json!({"kind": "List", "items": [
        {"metadata": {"name": "a", "labels": {"app": "carts"}}, "status": {"phase": "Running", "n": 1}},
        {"metadata": {"name": "b", "labels": {"app": "ui"}}, "status": {"phase": "Pending", "n": 2}},
        {"metadata": {"name": "c"}, "status": {"phase": "Running", "n": 3}}
    ]})
}

#[test]
fn fields_wildcards_and_separators() {
    let p = pods();
    assert_eq!(text("{.items[*].metadata.name}", &p), "a b c");
    assert_eq!(text("{.items[0].metadata.name}", &p), "a");
    assert_eq!(text("{.items[-1:].metadata.name}", &p), "c");
    assert_eq!(text("{.items[-1].metadata.name}", &p), "c");
    assert_eq!(text("{.items[0:2].metadata.name}", &p), "a b");
    assert_eq!(text("{.items[::2].metadata.name}", &p), "a c");
    assert_eq!(text("{.items[0,2].metadata.name}", &p), "a c");
    assert_eq!(text("{.items[0]['metadata']['name']}", &p), "a");
    assert_eq!(text("x={.items[1].status.n}!", &p), "x=2!");
    assert_eq!(text("{.items[0].metadata.labels}", &p), r#"{"app":"carts"}"#);
    assert_eq!(text("{.items[2].metadata.labels.app}", &p), "");
    assert_eq!(text("{..name}", &p), "a b c");
    assert_eq!(text("{.items[0].metadata.*}", &p), r#"a {"app":"carts"}"#);
}

#[test]
fn ranges_and_filters() {
    let p = pods();
    assert_eq!(
        text(
            r#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#,
            &p
        ),
        "a\tRunning\nb\tPending\nc\tRunning\n"
    );
    assert_eq!(
        text(r#"{.items[?(@.status.phase=="Running")].metadata.name}"#, &p),
        "a c"
    );
    assert_eq!(text("{.items[?(@.status.n > 1)].metadata.name}", &p), "b c");
    assert_eq!(text("{.items[?(@.metadata.labels)].metadata.name}", &p), "a b");
    // An item without the field is left out, whatever the operator.
    assert_eq!(
        text(
            r#"{range .items[?(@.metadata.labels.app!="ui")]}[{.metadata.name}]{end}"#,
            &p
        ),
        "[a]"
    );
}

#[test]
fn missing_keys_and_bounds() {
    let p = pods();
    let t = Template::parse("{.items[0].nope}").unwrap();
    assert_eq!(t.text(&p, true).unwrap(), "");
    assert_eq!(t.text(&p, false).unwrap_err().0, "nope is not found");
    let t = Template::parse("{.items[5]}").unwrap();
    assert_eq!(
        t.text(&p, true).unwrap_err().0,
        "array index out of bounds: index 5, length 3"
    );
}

#[test]
fn as_json() {
    let t = Template::parse("{.items[*].metadata.name}").unwrap();
    assert_eq!(
        t.json(&pods(), true).unwrap(),
        "[\n    \"a\",\n    \"b\",\n    \"c\"\n]\n"
    );
}

#[test]
fn bad_templates_say_where() {
    let e = Template::parse("{.items[*]").unwrap_err();
    assert_eq!(e.column, 1, "{e}");
    // As kubectl 1.32 prints it: the body per item, then once on the list.
    assert_eq!(
        text(
            r#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}"#,
            &pods()
        ),
        "a\tRunning\nb\tPending\nc\tRunning\n\t\n"
    );
    let e = Template::parse("{.a}{end}").unwrap_err();
    assert_eq!((e.message.as_str(), e.column), ("`end` without `range`", 5));
    let e = Template::parse("{.items[x]}").unwrap_err();
    assert_eq!((e.message.as_str(), e.column), ("invalid array index x", 8));
    assert!(Template::parse("{.a | b}").is_err());
}

#[test]
fn relaxed_paths() {
    let p = pods();
    for t in [
        ".items[0].metadata.name",
        "items[0].metadata.name",
        "{.items[0].metadata.name}",
    ] {
        let t = Template::parse_relaxed(t).unwrap();
        assert_eq!(t.text(&p, true).unwrap(), "a");
    }
}

#[test]
fn go_numbers() {
    use super::eval::go_float;
    assert_eq!(go_float(1.5), "1.5");
    assert_eq!(go_float(1e6), "1e+06");
    assert_eq!(go_float(123456.0), "123456");
    assert_eq!(go_float(0.00001), "1e-05");
    assert_eq!(
        super::go_json(&json!({"a": "<&>"})),
        r#"{"a":"\u003c\u0026\u003e"}"#
    );
}
