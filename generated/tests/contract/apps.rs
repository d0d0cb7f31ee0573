//! An app whose service scales on requests, against Prism: the members that the second `allOf`
//! part of `app_autoscaling_spec_service` adds to `metrics` (`requests_per_second`,
//! `request_duration`) are sent as the spec defines them, and Prism checks them.

use super::{describe, prism, prism_client};
use digitalocean::models::{
    AppAutoscalingSpecMetricsCpu, AppAutoscalingSpecService, AppAutoscalingSpecServiceMetrics,
    AppAutoscalingSpecServiceMetricsRequestDuration, AppAutoscalingSpecServiceMetricsRequestsPerSecond, AppServiceSpec,
    AppSpec, AppsCreateAppRequest,
};
use digitalocean::reqwest::header::HeaderMap;

/// An app with one service scaled on CPU and on requests, `per_instance` requests a second.
fn app(per_instance: u32) -> AppsCreateAppRequest {
    let metrics = AppAutoscalingSpecServiceMetrics::new()
        .cpu(AppAutoscalingSpecMetricsCpu::new().percent(75))
        .requests_per_second(AppAutoscalingSpecServiceMetricsRequestsPerSecond::new().per_instance(per_instance))
        .request_duration(AppAutoscalingSpecServiceMetricsRequestDuration::new().p95_milliseconds(500));
    let scaling = AppAutoscalingSpecService::new().min_instance_count(1).max_instance_count(4).metrics(metrics);
    let web = AppServiceSpec::new("web").instance_size_slug("apps-s-1vcpu-1gb").autoscaling(scaling);
    AppsCreateAppRequest::new(AppSpec::new("scaled").region("nyc").services([web]))
}

#[tokio::test]
async fn a_service_that_scales_on_requests_is_a_valid_app() {
    let client = prism_client(prism::prism().base_url(), HeaderMap::new());
    let response = client.apps().create(app(100)).with_meta().await.unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert!(response.headers().get("sl-violations").is_none(), "{:?}", response.headers());
    assert_eq!(response.status().as_u16(), 200);
    // Prism does check these members: `per_instance` has `minimum: 1`.
    let refused = client.apps().create(app(0)).await.err().unwrap_or_else(|| panic!("Prism took per_instance 0"));
    let why = describe(&refused);
    assert!(why.starts_with("422") && why.contains("per_instance"), "{why}");
}
