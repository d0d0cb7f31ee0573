//! How the generated types behave on the wire: tagged unions keep the tag they were given
//! (also where several tags map to one schema), untagged unions pick the alternative that fits,
//! merged `anyOf` structs, enum catch-alls, lenient decoding of response types (missing fields
//! take defaults; a wrong type fails naming the field's path), request
//! types that leave out unset optional fields, the members that cross the wire one way
//! only (read-only ones never sent, write-only ones skipped in answers), and members that
//! several `allOf` parts define holding what every part says.

use digitalocean::models::{
    AllDroplets, AllKernels, AppAutoscalingSpecMetricsCpu, AppAutoscalingSpecService, AppAutoscalingSpecServiceMetrics,
    AppAutoscalingSpecServiceMetricsRequestDuration, AppAutoscalingSpecServiceMetricsRequestsPerSecond,
    AppComponentInstanceBaseInstanceSizeSlug as SizeSlug, AppComponentInstanceBaseInstanceSizeSlugDeprecated as DeprecatedSlug,
    AppComponentInstanceBaseInstanceSizeSlugSizeSlug as CurrentSlug, AppServiceSpec, AppSpec, AppsCreateAppRequest, CdnEndpointTtl,
    ChatCompletionRequestStop, DedicatedInferenceSpec, Domain, Droplet, DropletAction, DropletActionType, DropletActionsPostRequest,
    DropletBackupPolicy, DropletBackupPolicyPlan, DropletStatus, ExistingDroplet, PageLinks, PageLinksPages, Size,
};
use digitalocean::{Client, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"))
}

fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| panic!("does not encode: {e}"))
}

#[test]
fn tagged_union_keeps_the_wire_tag_where_tags_share_a_schema() {
    // `reboot` and `power_off` both map to `droplet_action`.
    for (tag, expected) in [("reboot", DropletActionType::Reboot), ("power_off", DropletActionType::PowerOff)] {
        let body: DropletActionsPostRequest = decode(json!({"type": tag}));
        assert_eq!(body.tag(), tag);
        match (&body, tag) {
            (DropletActionsPostRequest::Reboot(inner), "reboot") | (DropletActionsPostRequest::PowerOff(inner), "power_off") => {
                assert_eq!(inner.type_, expected)
            }
            other => panic!("`{tag}` decoded as {other:?}"),
        }
        assert_eq!(encode(&body), json!({"type": tag}));
    }
    // The variant decides the tag sent, whatever the inner struct says.
    let body = DropletActionsPostRequest::PowerOff(Box::new(DropletAction::new(DropletActionType::Reboot)));
    assert_eq!(encode(&body)["type"], "power_off");
}

#[test]
fn tagged_union_refuses_an_unknown_tag() {
    let err = serde_json::from_value::<DropletActionsPostRequest>(json!({"type": "explode"})).unwrap_err();
    assert!(err.to_string().contains("explode"), "{err}");
}

#[test]
fn untagged_union_takes_a_string_or_a_list() {
    let one: ChatCompletionRequestStop = decode(json!("END"));
    assert_eq!(one, ChatCompletionRequestStop::String("END".into()));
    let many: ChatCompletionRequestStop = decode(json!(["a", "b"]));
    assert_eq!(many, ChatCompletionRequestStop::StringList(vec!["a".into(), "b".into()]));
    assert_eq!(encode(&one), json!("END"));
    assert_eq!(encode(&many), json!(["a", "b"]));
}

#[test]
fn a_union_of_string_enums_takes_a_str_into_the_enum_that_lists_it() {
    assert_eq!(SizeSlug::from("apps-s-1vcpu-1gb"), SizeSlug::SizeSlug(CurrentSlug::AppsS1vcpu1gb));
    assert_eq!(SizeSlug::from("basic-xs"), SizeSlug::Deprecated(DeprecatedSlug::BasicXs));
    // A size this version does not know goes to the first variant's catch-all, and is sent as given.
    let unknown = SizeSlug::from("apps-s-64vcpu-1tb");
    assert_eq!(unknown, SizeSlug::SizeSlug(CurrentSlug::Other("apps-s-64vcpu-1tb".into())));
    assert_eq!(encode(&unknown), json!("apps-s-64vcpu-1tb"));
    // So the member's setter takes the slug itself.
    let web = AppServiceSpec::new("web").instance_size_slug("basic-xs");
    assert_eq!(encode(&web)["instance_size_slug"], json!("basic-xs"));
}

#[test]
fn merged_any_of_has_every_page_link() {
    let links: PageLinks = decode(json!({"pages": {"first": "f", "prev": "p", "next": "n", "last": "l"}}));
    let pages = links.pages.unwrap_or_else(|| panic!("no pages"));
    let all = [&pages.first, &pages.prev, &pages.next, &pages.last].map(|link| link.as_deref());
    assert_eq!(all, [Some("f"), Some("p"), Some("n"), Some("l")]);
    // Forward links only (the first page): the others are absent.
    let forward: PageLinksPages = decode(json!({"next": "n", "last": "l"}));
    assert_eq!((forward.first, forward.prev, forward.next.as_deref()), (None, None, Some("n")));
    // `pages` is `anyOf [forward_links, backward_links, {}]`: the `{}` lets any value through,
    // but a value that is not an object has no links to read, and is an error naming the path
    // rather than an empty `pages` that would hide what was sent. Real answers send an object.
    for odd in [json!([]), json!(5), json!("next")] {
        let error = serde_json::from_value::<PageLinks>(json!({"pages": odd})).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("pages"), "{odd}: {error}");
    }
}

#[test]
fn enums_keep_values_they_do_not_know() {
    let status: DropletStatus = decode(json!("hibernating"));
    assert_eq!(status, DropletStatus::Other("hibernating".into()));
    assert_eq!(status.as_str(), "hibernating");
    assert_eq!(encode(&status), json!("hibernating"));
    assert_eq!(decode::<DropletStatus>(json!("active")), DropletStatus::Active);

    let ttl: CdnEndpointTtl = decode(json!(42));
    assert_eq!(ttl, CdnEndpointTtl::Other(42));
    assert_eq!(ttl.value(), 42);
    assert_eq!(encode(&ttl), json!(42));
    assert_eq!(decode::<CdnEndpointTtl>(json!(3600)), CdnEndpointTtl::V3600);
}

#[test]
fn response_types_decode_leniently() {
    // Every required field missing: string, integer, bool, enum, nested object, array.
    let droplet: Droplet = decode(json!({"id": 3}));
    assert_eq!(droplet.id, 3);
    assert_eq!(droplet.name, "");
    assert_eq!(droplet.memory, 0);
    assert!(!droplet.locked);
    assert_eq!(droplet.status, DropletStatus::Other(String::new()));
    assert_eq!(droplet.region.slug, "");
    assert!(droplet.features.is_empty() && droplet.tags.is_empty());
    assert_eq!(droplet.vpc_uuid, None);
    // `null` where a member takes none reads as absent: the runtime's rule for every read kind
    // (`codegen/runtime/fields.rs`), not tested again here.
}

#[test]
fn a_nullable_item_schema_takes_null_items() {
    // `kernel` is `nullable` (a Droplet's `kernel` is `null` on internal kernels), so a list of
    // kernels may hold `null`: kept in place as `None`, not refused, not dropped.
    let page: AllKernels = decode(json!({"kernels": [null, {"id": 7515}], "meta": {"total": 2}}));
    assert_eq!(page.kernels.len(), 2);
    assert!(page.kernels[0].is_none());
    assert_eq!(page.kernels[1].as_ref().and_then(|k| k.id), Some(7515));
    // Any other non-object item is still a type mismatch that names its place.
    let err = serde_json::from_value::<AllKernels>(json!({"kernels": [1], "meta": {}})).unwrap_err().to_string();
    assert!(err.contains("kernels[0]"), "{err}");
}

#[test]
fn a_type_mismatch_names_the_nested_field() {
    let err = serde_json::from_value::<Droplet>(json!({"id": 1, "region": {"slug": "nyc1", "available": "yes"}})).unwrap_err().to_string();
    assert!(err.contains("region.available"), "{err}");
    let err = serde_json::from_value::<Droplet>(json!({"memory": "lots"})).unwrap_err().to_string();
    assert!(err.contains("memory"), "{err}");
}

#[test]
fn request_types_leave_out_unset_optionals() {
    assert_eq!(encode(&DropletBackupPolicy::default()), json!({}));
    let policy = DropletBackupPolicy::new().plan(DropletBackupPolicyPlan::Weekly);
    assert_eq!(encode(&policy), json!({"plan": "weekly"}));
}

#[test]
fn an_envelope_s_subject_is_not_an_option_and_is_never_made_up() {
    // The one member of an answer's envelope is what the answer is about: typed as it is.
    let found: ExistingDroplet = decode(json!({"droplet": {"id": 7, "name": "web-1"}}));
    assert_eq!((found.droplet.id, found.droplet.name.as_str()), (7, "web-1"));
    // An answer without it is an error naming the member, not a default Droplet with id 0.
    let err = serde_json::from_value::<ExistingDroplet>(json!({"links": {}})).unwrap_err();
    assert!(err.to_string().contains("missing field `droplet`"), "{err}");
    // A list subject left out is an empty list; `links` and `meta` beside it keep their own rules.
    let all: AllDroplets = decode(json!({"meta": {"total": 0}}));
    assert!(all.droplets.is_empty());
    assert_eq!(all.links, None);
}

/// A client of `server` that sends each request once.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .token("dop_v1_test-token")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

#[tokio::test]
async fn read_only_members_are_never_sent_even_when_assigned() {
    // `ttl` and `zone_file` are read-only: they have no setter, but the fields are public.
    let mut domain = Domain::new().name("example.com").ip_address("192.0.2.1");
    domain.ttl = Some(1800);
    domain.zone_file = Some("$ORIGIN example.com.".into());
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/domains"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"domain": {"name": "example.com", "ttl": 1800}})))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server).domains().create().body(domain.clone()).await.unwrap();
    assert_eq!(created.domain.ttl, Some(1800));
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 1);
    let sent: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(sent, json!({"name": "example.com", "ip_address": "192.0.2.1"}));
    // Outside the client serde writes every member: a stored value comes back whole.
    let whole = encode(&domain);
    assert_eq!((&whole["ttl"], &whole["zone_file"]), (&json!(1800), &json!("$ORIGIN example.com.")));
    assert_eq!(decode::<Domain>(whole), domain);
}

#[tokio::test]
async fn write_only_members_in_an_answer_are_skipped_without_decoding() {
    // `ip_address` is write-only; here it is not even a string, and the answer still decodes.
    for returned in [json!("192.0.2.1"), json!({"not": "an address"})] {
        let server = MockServer::start().await;
        let answer = json!({"domain": {"name": "example.com", "ip_address": returned, "ttl": 1800}});
        Mock::given(method("GET"))
            .and(path("/v2/domains/example.com"))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
            .expect(1)
            .mount(&server)
            .await;
        let found = client(&server).domains().get("example.com").await.unwrap_or_else(|e| panic!("{returned}: {e}"));
        assert_eq!(found.domain.ip_address, None, "{returned}");
        assert_eq!((found.domain.name.as_deref(), found.domain.ttl), (Some("example.com"), Some(1800)));
    }
    // Outside the client serde reads it (a request read back from a file keeps it).
    let read: Domain = decode(json!({"name": "example.com", "ip_address": "192.0.2.1"}));
    assert_eq!(read.ip_address.as_deref(), Some("192.0.2.1"));
}

#[tokio::test]
async fn a_service_scales_on_requests_sent_and_received() {
    // `app_autoscaling_spec_service` adds `requests_per_second` and `request_duration` to the
    // `metrics` of `app_autoscaling_spec` in a second `allOf` part: both parts' members are here.
    let metrics = AppAutoscalingSpecServiceMetrics::new()
        .cpu(AppAutoscalingSpecMetricsCpu::new().percent(75))
        .requests_per_second(AppAutoscalingSpecServiceMetricsRequestsPerSecond::new().per_instance(100))
        .request_duration(AppAutoscalingSpecServiceMetricsRequestDuration::new().p95_milliseconds(500));
    let scaling = AppAutoscalingSpecService::new().min_instance_count(1).max_instance_count(4).metrics(metrics);
    let spec = AppSpec::new("scaled").services([AppServiceSpec::new("web").autoscaling(scaling.clone())]);
    let wire = json!({
        "min_instance_count": 1,
        "max_instance_count": 4,
        "metrics": {"cpu": {"percent": 75}, "requests_per_second": {"per_instance": 100}, "request_duration": {"p95_milliseconds": 500}}
    });
    let server = MockServer::start().await;
    let answer = json!({"app": {"id": "a1", "spec": {"name": "scaled", "services": [{"name": "web", "autoscaling": wire}]}}});
    Mock::given(method("POST"))
        .and(path("/v2/apps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server).apps().create(AppsCreateAppRequest::new(spec)).await.unwrap();
    let received = server.received_requests().await.unwrap_or_default();
    let sent: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(sent["spec"]["services"][0]["autoscaling"], wire);
    let services = created.app.spec.services.unwrap_or_default();
    assert_eq!(services[0].autoscaling, Some(scaling));
}

#[test]
fn numbers_decode_to_the_float_they_spell() {
    // Shortest texts of random doubles: without serde_json's `float_roundtrip`, about a third
    // of them decode one unit off in the last place (this one among them).
    for text in ["1.331993865736232e-34", "0.30000000000000004", "1.7976931348623157e308", "5e-324"] {
        let size: Size = decode(json!({"price_monthly": serde_json::from_str::<Value>(text).unwrap_or_default()}));
        let expected: f64 = text.parse().unwrap();
        assert_eq!(size.price_monthly.to_bits(), expected.to_bits(), "{text}");
        assert_eq!(encode(&size)["price_monthly"], json!(expected));
    }
}

#[test]
fn an_answer_that_leaves_out_a_required_struct_still_decodes() {
    // `dedicatedInferences_get` answers with the request schema `dedicated_inference_spec`, whose
    // required `vpc` (a struct also sent, so without a default) real answers replace with
    // `vpc_config`. The answer decodes; `vpc` is read from `{}`, its own members defaulted.
    let spec: DedicatedInferenceSpec = decode(json!({
        "version": 1, "name": "di", "region": "tor1", "enable_public_endpoint": true,
        "model_deployments": [], "vpc_config": {"vpc_uuid": "v-1"}
    }));
    assert_eq!(spec.name, "di");
    assert_eq!(spec.vpc.uuid, "");
    // Present with the wrong type, it is still an error at its path.
    let error = serde_json::from_value::<DedicatedInferenceSpec>(json!({"name": "di", "vpc": 5})).err().map(|e| e.to_string());
    assert!(error.unwrap_or_default().contains("vpc"));
}
