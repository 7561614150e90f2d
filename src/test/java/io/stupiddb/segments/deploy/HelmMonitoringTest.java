package io.stupiddb.segments.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.smallrye.config.WithDefault;
import io.stupiddb.segments.service.config.DurationParser;
import io.stupiddb.segments.service.config.SegmentsConfig;
import io.stupiddb.segments.service.config.SizeParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.stupiddb.segments.deploy.Chart.FULLNAME;
import static io.stupiddb.segments.deploy.Chart.NAMESPACE;
import static io.stupiddb.segments.deploy.Chart.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The chart's opt-in monitoring: the PrometheusRule (files/prometheus-rules.yaml) and the Grafana
 * dashboard ConfigMap (files/segment-store-dashboard.json).
 *
 * <p>The rules are taken from the rendered chart, exactly as they ship, and checked with
 * {@code promtool check rules} and {@code promtool test rules}
 * ({@code src/test/resources/deploy/prometheus-rules.test.yaml}: synthetic series, each alert
 * firing and not firing). promtool comes from the Debian package {@code prometheus}; without it
 * these tests fail.
 *
 * <p>Every metric the rules and the dashboard query must be one the service really exports: the
 * names are taken from real scrapes of /q/metrics in {@code src/test/resources/deploy/metrics/*.prom}
 * (free disk and the volume's size too: nothing depends on the kubelet's volume statistics,
 * {@link #KUBELET_METRICS}). To refresh the scrapes
 * after changing the service's meters:
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * ./mvnw -B -ntp package -DskipTests
 * SEGMENTS_DATA_DIR=/tmp/ss0 SEGMENTS_CLUSTER_PEERS="0=http://127.0.0.1:18480,1=http://127.0.0.1:18499" \
 *   QUARKUS_HTTP_PORT=18480 QUARKUS_MANAGEMENT_PORT=19480 $JAVA_HOME/bin/java -jar target/quarkus-app/quarkus-run.jar &amp;
 * SEGMENTS_DATA_DIR=/tmp/ss1 SEGMENTS_MIN_FREE_DISK=1000T SEGMENTS_MAX_TOTAL_SIZE=10G \
 *   QUARKUS_HTTP_PORT=18481 QUARKUS_MANAGEMENT_PORT=19481 $JAVA_HOME/bin/java -jar target/quarkus-app/quarkus-run.jar &amp;
 * # node 0: a few POST /api/v1/documents, a GET of one, GET /api/v1/documents (503: node 1 is down),
 * #         the same with partial=true, POST /api/v1/segments/rotate; node 1: two POST /api/v1/documents (507);
 * # then wait until segment_store_last_retention_run_timestamp_seconds is a number on both (the first run)
 * curl -s localhost:19480/q/metrics   # -&gt; metrics/cluster-node.prom, below its comment header
 * curl -s localhost:19481/q/metrics   # -&gt; metrics/writes-refused.prom
 * </pre>
 */
class HelmMonitoringTest {

    static final Path RESOURCES = Path.of("src", "test", "resources", "deploy");
    static final Path RULES_UNIT_TEST = RESOURCES.resolve("prometheus-rules.test.yaml");
    static final Path SCRAPES = RESOURCES.resolve("metrics");
    /** Where the extracted rules are written (kept after the run, to look at a failure). */
    static final Path WORK = Path.of("target", "helm-monitoring");

    /**
     * The kubelet's statistics of each pod's volume: neither the rules nor the dashboard use them,
     * the service exports its own free disk and volume size (not every cluster scrapes the kubelet).
     */
    static final Set<String> KUBELET_METRICS =
            Set.of("kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes");

    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    // ---------------------------------------------------------------- rendering

    static List<Map<String, Object>> render(Map<String, Object> values) {
        return Manifests.parseYaml(Chart.render(values));
    }

    static Map<String, Object> rulesOn(Object... more) {
        Object[] all = Stream.concat(Stream.of("monitoring.prometheusRule.enabled", true), Stream.of(more))
                .toArray();
        return values(all);
    }

    static Map<String, Object> dashboardOn(Object... more) {
        Object[] all = Stream.concat(Stream.of("monitoring.dashboard.enabled", true), Stream.of(more))
                .toArray();
        return values(all);
    }

    static Map<String, Object> only(List<Map<String, Object>> documents, String kind) {
        List<Map<String, Object>> found =
                documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(
                1,
                found.size(),
                () -> "exactly one " + kind + " in "
                        + documents.stream().map(d -> d.get("kind")).toList());
        return found.getFirst();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map<?, ?>, () -> "an object: " + value);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        assertTrue(value instanceof List<?>, () -> "a list: " + value);
        return (List<Object>) value;
    }

    /** The spec of the rendered PrometheusRule: {@code {groups: [...]}}. */
    static Map<String, Object> ruleSpec(Map<String, Object> values) {
        Map<String, Object> rule = only(render(values), "PrometheusRule");
        return map(rule.get("spec"));
    }

    /** Every rule of every group. */
    static List<Map<String, Object>> rules(Map<String, Object> spec) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : list(spec.get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                rules.add(map(rule));
            }
        }
        return rules;
    }

    /** Writes a rules file for promtool (the PrometheusRule's spec is a Prometheus rules file). */
    static Path writeRules(Path dir, Map<String, Object> spec) throws IOException {
        Files.createDirectories(dir);
        var options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(1000);
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, new Yaml(options).dump(spec));
        return file;
    }

    static Promtool.Result checkRules(Path dir) {
        return Promtool.run(dir, "check", "rules", "rules.yaml");
    }

    static Promtool.Result testRules(Path dir) throws IOException {
        Files.copy(
                RULES_UNIT_TEST,
                dir.resolve(RULES_UNIT_TEST.getFileName()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Promtool.run(dir, "test", "rules", RULES_UNIT_TEST.getFileName().toString());
    }

    // ---------------------------------------------------------------- the PrometheusRule

    @Test
    void monitoringIsOffByDefault() {
        List<Map<String, Object>> documents = render(values());
        assertTrue(
                documents.stream().noneMatch(d -> "PrometheusRule".equals(d.get("kind"))),
                "no PrometheusRule by default");
        assertTrue(
                documents.stream()
                        .filter(d -> "ConfigMap".equals(d.get("kind")))
                        .noneMatch(
                                d -> map(map(d.get("metadata")).get("labels")).containsKey("grafana_dashboard")),
                "no dashboard by default");
    }

    @Test
    void prometheusRuleObject() throws IOException {
        Map<String, Object> rule = only(render(rulesOn()), "PrometheusRule");
        assertEquals("monitoring.coreos.com/v1", rule.get("apiVersion"));
        V1ObjectMeta metadata = V1ObjectMeta.fromJson(new Gson().toJson(rule.get("metadata")));
        assertEquals(FULLNAME, metadata.getName());
        assertEquals(NAMESPACE, metadata.getNamespace(), "the release namespace by default");
        assertEquals("segment-store", metadata.getLabels().get("app.kubernetes.io/name"));
        assertEquals(Set.of("groups"), map(rule.get("spec")).keySet());

        Map<String, Object> placed = only(
                render(rulesOn(
                        "monitoring.prometheusRule.namespace",
                        "monitoring",
                        "monitoring.prometheusRule.labels",
                        Map.of("release", "kube-prometheus-stack"),
                        "monitoring.prometheusRule.annotations",
                        Map.of("team", "storage"))),
                "PrometheusRule");
        V1ObjectMeta placedMetadata = V1ObjectMeta.fromJson(new Gson().toJson(placed.get("metadata")));
        assertEquals("monitoring", placedMetadata.getNamespace());
        assertEquals(
                "kube-prometheus-stack", placedMetadata.getLabels().get("release"), "for Prometheus's ruleSelector");
        assertEquals("storage", placedMetadata.getAnnotations().get("team"));
    }

    @Test
    void renderedRulesPassPromtoolCheckAndUnitTests() throws IOException {
        Map<String, Object> spec = ruleSpec(rulesOn());
        Path dir = WORK.resolve("defaults");
        writeRules(dir, spec);
        Promtool.Result check = checkRules(dir);
        assertTrue(
                check.succeeded(), () -> "promtool check rules " + dir.resolve("rules.yaml") + ":\n" + check.output());
        assertTrue(check.output().contains("SUCCESS: " + rules(spec).size() + " rules found"), check::output);
        Promtool.Result test = testRules(dir);
        assertTrue(
                test.succeeded(),
                () -> "promtool test rules " + dir.resolve(RULES_UNIT_TEST.getFileName()) + ":\n" + test.output());
        assertTrue(test.output().contains("SUCCESS"), test::output);
    }

    @Test
    void everyAlertHasSeverityForAndAnnotations() {
        List<Map<String, Object>> rules = rules(ruleSpec(rulesOn()));
        assertTrue(rules.size() >= 7, "the alerts of issue 15");
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> rule : rules) {
            String name = String.valueOf(rule.get("alert"));
            assertTrue(name.startsWith("SegmentStore"), () -> "an alerting rule named SegmentStore*: " + rule);
            assertTrue(names.add(name), () -> "alert names are unique: " + name);
            assertTrue(String.valueOf(rule.get("for")).matches("[0-9]+[smh]"), () -> name + " has a for: duration");
            assertTrue(
                    SEVERITIES.contains(map(rule.get("labels")).get("severity")), () -> name + " has a severity label");
            Map<String, Object> annotations = map(rule.get("annotations"));
            for (String key : List.of("summary", "description")) {
                assertTrue(
                        annotations.get(key) instanceof String text && !text.isBlank(), () -> name + " has a " + key);
            }
        }
    }

    /** The unit-test file checks every alert firing and, in another case, not firing. */
    @Test
    void everyAlertIsUnitTestedFiringAndNotFiring() throws IOException {
        Map<String, Object> unitTests =
                Manifests.parseYaml(Files.readString(RULES_UNIT_TEST)).getFirst();
        assertEquals(List.of("rules.yaml"), unitTests.get("rule_files"));
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Object test : list(unitTests.get("tests"))) {
            Object cases = map(test).get("alert_rule_test");
            if (cases == null) {
                continue;
            }
            for (Object c : list(cases)) {
                Map<String, Object> alertCase = map(c);
                Object expected = alertCase.get("exp_alerts");
                boolean firing = expected instanceof List<?> alerts && !alerts.isEmpty();
                (firing ? fires : silent).add(String.valueOf(alertCase.get("alertname")));
            }
        }
        Set<String> alerts = new TreeSet<>(rules(ruleSpec(rulesOn())).stream()
                .map(r -> String.valueOf(r.get("alert")))
                .toList());
        assertEquals(alerts, fires, "every alert has a case where it fires");
        assertEquals(alerts, silent, "every alert has a case where it does not fire");
    }

    /**
     * The unit tests really look at each expression: an alert whose expression can never be true
     * fails them.
     */
    @Test
    void unitTestsFailWhenAnAlertIsBroken() throws IOException {
        Map<String, Object> spec = ruleSpec(rulesOn());
        for (Map<String, Object> rule : rules(spec)) {
            String alert = String.valueOf(rule.get("alert"));
            Object original = rule.get("expr");
            rule.put("expr", "vector(1) > 2");
            Path dir = WORK.resolve("broken-" + alert);
            writeRules(dir, spec);
            assertTrue(checkRules(dir).succeeded(), "the broken rule is still valid PromQL");
            Promtool.Result test = testRules(dir);
            assertFalse(
                    test.succeeded(),
                    () -> "promtool test rules must fail when " + alert + " never fires:\n" + test.output());
            assertTrue(test.output().contains(alert), () -> "the failure names " + alert + ":\n" + test.output());
            rule.put("expr", original);
        }
    }

    @Test
    void promtoolRejectsInvalidRules() throws IOException {
        Map<String, Object> spec = ruleSpec(rulesOn());
        rules(spec).getFirst().put("expr", "rate(segment_store_documents_written_total[5m]");
        Path dir = WORK.resolve("invalid");
        writeRules(dir, spec);
        assertFalse(checkRules(dir).succeeded(), "an unparsable expression fails promtool check rules");
    }

    // ---------------------------------------------------------------- thresholds

    /** The application's default of a segments.* setting, from its {@code @WithDefault}. */
    static String appDefault(String method) {
        try {
            return SegmentsConfig.class
                    .getMethod(method)
                    .getAnnotation(WithDefault.class)
                    .value();
        } catch (NoSuchMethodException e) {
            return fail("SegmentsConfig has no " + method + "()");
        }
    }

    static long seconds(String duration) {
        return DurationParser.parse(duration).toSeconds();
    }

    /** The slack beyond the retention: max-segment-age + max-clock-skew + retention and rotation check intervals, in seconds. */
    static long slack(String segmentAge, String clockSkew, String retentionCheck, String rotationCheck) {
        return seconds(segmentAge) + seconds(clockSkew) + seconds(retentionCheck) + seconds(rotationCheck);
    }

    /** When the retention job is overdue: three retention-check-intervals, at least 15 minutes. */
    static long stall(String retentionCheck) {
        return Math.max(900, 3 * seconds(retentionCheck));
    }

    static Map<String, String> exprs(Map<String, Object> values) {
        Map<String, String> exprs = new LinkedHashMap<>();
        rules(ruleSpec(values)).forEach(r -> exprs.put(String.valueOf(r.get("alert")), String.valueOf(r.get("expr"))));
        return exprs;
    }

    @Test
    void defaultThresholdsAreTheApplicationsDefaults() {
        Map<String, String> exprs = exprs(rulesOn());
        long slack = slack(
                appDefault("maxSegmentAge"),
                appDefault("maxClockSkew"),
                appDefault("retentionCheckInterval"),
                appDefault("rotationCheckInterval"));
        assertTrue(
                exprs.get("SegmentStoreDataOlderThanRetention").contains("segment_store_retention_seconds{"),
                exprs::toString);
        assertTrue(exprs.get("SegmentStoreDataOlderThanRetention").contains("} + " + slack + "\n"), exprs::toString);
        assertTrue(
                exprs.get("SegmentStoreRetentionNotRunning")
                        .contains("> " + stall(appDefault("retentionCheckInterval"))),
                exprs::toString);
        assertTrue(
                exprs.get("SegmentStoreFreeDiskLow").contains("< 0.1 * segment_store_disk_capacity_bytes{"),
                exprs::toString);
    }

    @Test
    void limitsComeFromTheServicesGaugesNotFromTheChartValues() {
        Map<String, String> exprs = exprs(rulesOn());
        for (String alert : List.of("SegmentStoreFreeDiskLow", "SegmentStoreDiskFillingUp")) {
            assertTrue(
                    exprs.get(alert).contains("segment_store_disk_free_bytes{"), () -> alert + ": " + exprs.get(alert));
            assertTrue(
                    exprs.get(alert).contains("segment_store_min_free_disk_bytes{"),
                    () -> alert + ": " + exprs.get(alert));
        }
        assertTrue(
                exprs.get("SegmentStoreRetentionNotRunning")
                        .contains("segment_store_last_retention_run_timestamp_seconds{"),
                exprs::toString);
        // A different retention or min-free-disk in the values changes nothing: the pods report theirs.
        assertEquals(exprs, exprs(rulesOn("segments.retention", "7d", "segments.minFreeDisk", "1G")));
    }

    @Test
    void thresholdsFollowTheSegmentsValues() throws IOException {
        Map<String, Object> values = HelmChartRenderTest.everySegmentsKey();
        map(values.computeIfAbsent("monitoring", k -> new LinkedHashMap<String, Object>()))
                .put("prometheusRule", new LinkedHashMap<>(Map.of("enabled", true, "freeDiskHeadroomRatio", 0.25)));
        Map<String, Object> segments = map(values.get("segments"));
        long slack = slack(
                (String) segments.get("maxSegmentAge"),
                (String) segments.get("maxClockSkew"),
                (String) segments.get("retentionCheckInterval"),
                (String) segments.get("rotationCheckInterval"));
        long stall = stall((String) segments.get("retentionCheckInterval"));
        Map<String, String> exprs = exprs(values);
        assertTrue(exprs.get("SegmentStoreDataOlderThanRetention").contains("} + " + slack + "\n"), exprs::toString);
        assertTrue(exprs.get("SegmentStoreRetentionNotRunning").contains("> " + stall + ")"), exprs::toString);
        assertTrue(exprs.get("SegmentStoreRetentionNotRunning").contains("> " + stall + "\n"), exprs::toString);
        assertTrue(
                exprs.get("SegmentStoreFreeDiskLow").contains("< 0.25 * segment_store_disk_capacity_bytes{"),
                exprs::toString);
        Path dir = WORK.resolve("every-segments-key");
        writeRules(dir, ruleSpec(values));
        Promtool.Result check = checkRules(dir);
        assertTrue(check.succeeded(), check::output);
    }

    @Test
    void durationConversionsAgreeWithTheApplication() {
        // Every unit of the values schema's duration format, through the rules' thresholds.
        for (String age : List.of("45s", "90m", "36h", "400d", "7200000ms")) {
            String expr = exprs(rulesOn("segments.maxSegmentAge", age)).get("SegmentStoreDataOlderThanRetention");
            long expected = slack(
                    age,
                    appDefault("maxClockSkew"),
                    appDefault("retentionCheckInterval"),
                    appDefault("rotationCheckInterval"));
            assertTrue(expr.contains("} + " + expected + "\n"), () -> age + ": " + expr);
        }
        for (String check : List.of("30s", "10m", "2h")) {
            String expr =
                    exprs(rulesOn("segments.retentionCheckInterval", check)).get("SegmentStoreRetentionNotRunning");
            assertTrue(expr.contains("> " + stall(check) + ")"), () -> check + ": " + expr);
        }
    }

    @Test
    void seriesAreSelectedByTheServiceMonitorsJobOrByTheGivenSelector() throws IOException {
        String job = "job=\"" + FULLNAME + "-headless\",namespace=\"" + NAMESPACE + "\"";
        for (var entry : exprs(rulesOn()).entrySet()) {
            for (String selector : selectors(entry.getValue())) {
                assertTrue(selector.contains("{" + job), () -> entry.getKey() + ": " + selector);
            }
        }
        String custom = "job=\"kubernetes-pods\",namespace=\"db\",app=\"segment-store\"";
        Map<String, Object> values = rulesOn("monitoring.prometheusRule.selector", custom);
        for (var entry : exprs(values).entrySet()) {
            for (String selector : selectors(entry.getValue())) {
                assertTrue(selector.contains("{" + custom), () -> entry.getKey() + ": " + selector);
            }
        }
        Path dir = WORK.resolve("custom-selector");
        writeRules(dir, ruleSpec(values));
        assertTrue(checkRules(dir).succeeded());
    }

    // ---------------------------------------------------------------- metric names

    static final Pattern METRIC_SELECTOR = Pattern.compile("(?<![$\\w:])([a-zA-Z_:][a-zA-Z0-9_:]*)\\{[^}]*}");
    static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    /** A token that looks like a metric name (exported suffix) but is not followed by a label selector. */
    static final Pattern BARE_METRIC = Pattern.compile(
            "(?<![$\\w:])([a-z][a-z0-9_:]*_(?:total|seconds|bytes|bucket|count|sum|max))\\b(?!\\s*\\{)");

    /** The selectors ({@code name{...}}) of a PromQL expression. */
    static List<String> selectors(String expr) {
        List<String> selectors = new ArrayList<>();
        Matcher m = METRIC_SELECTOR.matcher(expr);
        while (m.find()) {
            selectors.add(m.group());
        }
        return selectors;
    }

    /** The metric names a PromQL expression (or a Grafana label_values query) reads. */
    static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        String withoutStrings = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        Matcher bare = BARE_METRIC.matcher(withoutStrings);
        if (bare.find()) {
            fail("every metric is written with a label selector, so that it is scoped to the store: " + bare.group(1)
                    + " in " + expr);
        }
        Matcher m = METRIC_SELECTOR.matcher(withoutStrings);
        while (m.find()) {
            names.add(m.group(1));
        }
        Matcher lv = LABEL_VALUES.matcher(withoutStrings);
        while (lv.find()) {
            names.add(lv.group(1));
        }
        return names;
    }

    /** Metric names of the samples in the captured scrapes. */
    static Set<String> exportedMetricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(SCRAPES)) {
            List<Path> scrapes =
                    files.filter(f -> f.toString().endsWith(".prom")).sorted().toList();
            assertFalse(scrapes.isEmpty(), "captured scrapes in " + SCRAPES);
            for (Path scrape : scrapes) {
                for (String line : Files.readAllLines(scrape)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        names.add(line.split("[{ ]", 2)[0]);
                    }
                }
            }
        }
        return names;
    }

    static Set<String> dashboardExprs(JsonObject dashboard) {
        Set<String> exprs = new LinkedHashSet<>();
        collectExprs(dashboard, exprs);
        return exprs;
    }

    private static void collectExprs(JsonElement element, Set<String> exprs) {
        if (element.isJsonObject()) {
            for (var entry : element.getAsJsonObject().entrySet()) {
                if ((entry.getKey().equals("expr") || entry.getKey().equals("definition"))
                        && entry.getValue().isJsonPrimitive()) {
                    exprs.add(entry.getValue().getAsString());
                } else {
                    collectExprs(entry.getValue(), exprs);
                }
            }
        } else if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(e -> collectExprs(e, exprs));
        }
    }

    @Test
    void rulesAndDashboardUseOnlyMetricsTheServiceExports() throws IOException {
        Set<String> exported = exportedMetricNames();
        assertTrue(
                exported.contains("segment_store_documents_written_total"), "the scrapes are the store's: " + exported);
        Set<String> used = new TreeSet<>();
        exprs(rulesOn()).values().forEach(e -> used.addAll(metricNames(e)));
        dashboardExprs(dashboard(dashboardOn())).forEach(e -> used.addAll(metricNames(e)));
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(exported);
        assertTrue(
                unknown.isEmpty(),
                () -> "not exported by the service (see the scrapes in " + SCRAPES + "): " + unknown);
        assertTrue(
                used.stream().noneMatch(KUBELET_METRICS::contains),
                () -> "the dashboard reads the service's own free disk: " + used);
        Set<String> usedByRules = new TreeSet<>();
        exprs(rulesOn()).values().forEach(e -> usedByRules.addAll(metricNames(e)));
        assertTrue(
                usedByRules.stream().noneMatch(KUBELET_METRICS::contains),
                () -> "rules use the service's gauges: " + usedByRules);
        assertTrue(
                usedByRules.containsAll(Set.of(
                        "segment_store_disk_free_bytes",
                        "segment_store_disk_capacity_bytes",
                        "segment_store_min_free_disk_bytes",
                        "segment_store_retention_seconds",
                        "segment_store_last_retention_run_timestamp_seconds")),
                usedByRules::toString);
    }

    @Test
    void theMetricNameCheckCatchesAnUnknownName() throws IOException {
        Set<String> exported = exportedMetricNames();
        assertFalse(exported.contains("segment_store_write_latency_seconds_bucket"));
        assertEquals(
                Set.of("segment_store_write_latency_seconds_bucket"),
                metricNames(
                        "histogram_quantile(0.99, sum by (le) (rate(segment_store_write_latency_seconds_bucket{job=\"x\"}[5m])))"));
        assertEquals(Set.of("segment_store_segments"), metricNames("label_values(segment_store_segments, namespace)"));
        assertTrue(assertThrowsAssertion(() -> metricNames("rate(segment_store_documents_written_total[5m])"))
                .contains("label selector"));
    }

    private static String assertThrowsAssertion(Runnable runnable) {
        try {
            runnable.run();
        } catch (AssertionError expected) {
            return expected.getMessage();
        }
        return fail("expected an assertion failure");
    }

    /** The 507 alert reads the HTTP server metric with status="507": the service really reports refused writes so. */
    @Test
    void refusedWritesAppearAs507InTheHttpServerMetrics() throws IOException {
        String scrape = Files.readString(SCRAPES.resolve("writes-refused.prom"));
        assertTrue(
                Pattern.compile(
                                "(?m)^http_server_requests_seconds_count\\{[^}]*status=\"507\"[^}]*uri=\"/api/v1/documents\"")
                        .matcher(scrape)
                        .find(),
                "the scrape of a node refusing writes");
        assertTrue(exprs(rulesOn()).get("SegmentStoreWritesRefused").contains("http_server_requests_seconds_count{"));
        assertTrue(exprs(rulesOn()).get("SegmentStoreWritesRefused").contains(",status=\"507\"}"));
    }

    // ---------------------------------------------------------------- the dashboard

    static V1ConfigMap dashboardConfigMap(Map<String, Object> values) {
        List<Map<String, Object>> dashboards = render(values).stream()
                .filter(d -> "ConfigMap".equals(d.get("kind")))
                .filter(d -> map(map(d.get("metadata")).get("labels")).containsKey("grafana_dashboard"))
                .toList();
        assertEquals(1, dashboards.size(), "one dashboard ConfigMap");
        return Manifests.validate(dashboards.getFirst()).as(V1ConfigMap.class);
    }

    static JsonObject dashboard(Map<String, Object> values) {
        V1ConfigMap configMap = dashboardConfigMap(values);
        assertEquals(Set.of("segment-store.json"), configMap.getData().keySet());
        return JsonParser.parseString(configMap.getData().get("segment-store.json"))
                .getAsJsonObject();
    }

    static Map<String, String> constants(JsonObject dashboard) {
        Map<String, String> constants = new LinkedHashMap<>();
        for (JsonElement variable : dashboard.getAsJsonObject("templating").getAsJsonArray("list")) {
            JsonObject v = variable.getAsJsonObject();
            if (v.get("type").getAsString().equals("constant")) {
                constants.put(v.get("name").getAsString(), v.get("query").getAsString());
            }
        }
        return constants;
    }

    @Test
    void dashboardConfigMapForTheGrafanaSidecar() {
        V1ConfigMap configMap = dashboardConfigMap(dashboardOn(
                "monitoring.dashboard.namespace",
                "monitoring",
                "monitoring.dashboard.annotations",
                Map.of("grafana_folder", "Storage")));
        assertEquals("1", configMap.getMetadata().getLabels().get("grafana_dashboard"));
        assertEquals(FULLNAME + "-dashboard", configMap.getMetadata().getName());
        assertEquals("monitoring", configMap.getMetadata().getNamespace());
        assertEquals("Storage", configMap.getMetadata().getAnnotations().get("grafana_folder"));
        assertEquals(
                NAMESPACE, dashboardConfigMap(dashboardOn()).getMetadata().getNamespace(), "the release's by default");
        assertEquals(
                "yes",
                dashboardConfigMap(dashboardOn("monitoring.dashboard.labels", Map.of("grafana_dashboard", "yes")))
                        .getMetadata()
                        .getLabels()
                        .get("grafana_dashboard"),
                "a sidecar with another labelValue");
    }

    @Test
    void dashboardJsonParsesAndShowsWhatOperatorsNeed() throws IOException {
        JsonObject dashboard = dashboard(dashboardOn());
        assertEquals("stupiddb-segment-store", dashboard.get("uid").getAsString());
        String json = dashboard.toString();
        assertFalse(json.matches("(?s).*@[a-zA-Z]+@.*"), "every placeholder is filled in");
        Set<String> used = new TreeSet<>();
        Set<String> exprs = dashboardExprs(dashboard);
        exprs.forEach(e -> used.addAll(metricNames(e)));
        for (String metric : List.of(
                "segment_store_documents_written_total",
                "segment_store_bytes_written_total",
                "segment_store_write_seconds_bucket",
                "segment_store_get_seconds_bucket",
                "segment_store_scan_seconds_bucket",
                "segment_store_segments",
                "segment_store_disk_bytes",
                "segment_store_oldest_timestamp_seconds",
                "segment_store_corrupt_segments_total",
                "segment_store_fanout_requests_total",
                "segment_store_forwarded_requests_total",
                "http_server_requests_seconds_count",
                "segment_store_disk_free_bytes",
                "segment_store_disk_capacity_bytes")) {
            assertTrue(used.contains(metric), () -> "the dashboard shows " + metric);
        }
        for (String op : List.of("write", "get", "scan")) {
            for (String q : List.of("0.5", "0.95", "0.99")) {
                assertTrue(
                        exprs.contains(
                                "histogram_quantile(" + q + ", sum by (le) (rate(segment_store_" + op
                                        + "_seconds_bucket{namespace=\"$namespace\",job=\"$job\",pod=~\"$pod\"}[$__rate_interval])))"),
                        op + " p" + q);
            }
        }
        Set<String> variables = new TreeSet<>();
        dashboard
                .getAsJsonObject("templating")
                .getAsJsonArray("list")
                .forEach(v -> variables.add(v.getAsJsonObject().get("name").getAsString()));
        assertEquals(
                Set.of(
                        "datasource",
                        "namespace",
                        "job",
                        "pod",
                        "retention_seconds",
                        "max_total_size_bytes",
                        "min_free_disk_bytes"),
                variables);
        for (String variable : List.of("retention_seconds", "max_total_size_bytes", "min_free_disk_bytes")) {
            assertTrue(exprs.stream().anyMatch(e -> e.contains("$" + variable)), () -> "a panel shows " + variable);
        }
        // The file in the chart is what the ConfigMap carries, placeholders aside.
        String file = Files.readString(Chart.DIR.resolve("files/segment-store-dashboard.json"));
        assertEquals(
                JsonParser.parseString(file).getAsJsonObject().getAsJsonArray("panels"),
                dashboard.getAsJsonArray("panels"));
    }

    @Test
    void dashboardLimitsFollowTheSegmentsValues() {
        assertEquals(
                Map.of(
                        "retention_seconds",
                        String.valueOf(seconds(appDefault("retention"))),
                        "max_total_size_bytes",
                        "0",
                        "min_free_disk_bytes",
                        String.valueOf(SizeParser.parse(appDefault("minFreeDisk")))),
                constants(dashboard(dashboardOn())),
                "defaults: the application's, no max-total-size");
        assertEquals(
                Map.of(
                        "retention_seconds",
                        String.valueOf(seconds("7d")),
                        "max_total_size_bytes",
                        String.valueOf(SizeParser.parse("15G")),
                        "min_free_disk_bytes",
                        String.valueOf(SizeParser.parse("1G"))),
                constants(dashboard(dashboardOn(
                        "segments.retention", "7d", "segments.maxTotalSize", "15G", "segments.minFreeDisk", "1G"))));
    }

    /**
     * Every panel query is valid PromQL: with Grafana's variables replaced by sample values, the
     * queries go through {@code promtool check rules} as recording rules.
     */
    @Test
    void dashboardQueriesAreValidPromql() throws IOException {
        JsonObject dashboard = dashboard(dashboardOn());
        Map<String, String> constants = constants(dashboard);
        List<Map<String, Object>> records = new ArrayList<>();
        for (String expr : panelExprs(dashboard)) {
            String promql = expr.replace("$__rate_interval", "2m")
                    .replace("$namespace", "segments")
                    .replace("$job", FULLNAME + "-headless")
                    .replace("$pod", ".+");
            for (var constant : constants.entrySet()) {
                promql = promql.replace("$" + constant.getKey(), constant.getValue());
            }
            assertFalse(promql.contains("$"), () -> "an unknown variable in " + expr);
            records.add(Map.of("record", "dashboard:query_" + records.size(), "expr", promql));
        }
        assertTrue(records.size() >= 20, "the panels' queries: " + records.size());
        Path dir = WORK.resolve("dashboard");
        writeRules(dir, Map.of("groups", List.of(Map.of("name", "dashboard", "rules", records))));
        Promtool.Result check = checkRules(dir);
        assertTrue(
                check.succeeded(), () -> "promtool check rules " + dir.resolve("rules.yaml") + ":\n" + check.output());
        assertTrue(check.output().contains("SUCCESS: " + records.size() + " rules found"), check::output);

        records.set(
                0,
                Map.of(
                        "record",
                        "dashboard:broken",
                        "expr",
                        "sum(rate(segment_store_documents_written_total{job=\"x\"}[2m])"));
        writeRules(dir, Map.of("groups", List.of(Map.of("name", "dashboard", "rules", records))));
        assertFalse(checkRules(dir).succeeded(), "the check catches a broken query");
    }

    /** The targets' queries of every panel (not the variables' label_values queries). */
    static List<String> panelExprs(JsonObject dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonElement panel : dashboard.getAsJsonArray("panels")) {
            JsonObject p = panel.getAsJsonObject();
            if (p.has("targets")) {
                p.getAsJsonArray("targets")
                        .forEach(t -> exprs.add(t.getAsJsonObject().get("expr").getAsString()));
            }
        }
        return exprs;
    }

    @Test
    void badMonitoringValuesAreRejectedByTheSchema() {
        for (Map<String, Object> bad : List.of(
                values("monitoring.prometheusRule.enabled", "yes"),
                values("monitoring.prometheusRule.enable", true),
                values("monitoring.prometheusRule.freeDiskHeadroomRatio", 2),
                values("monitoring.prometheusRule.freeDiskHeadroomRatio", 0),
                values("monitoring.prometheusRule.selector", "{job=\"x\"}"),
                values("monitoring.prometheusRule.labels", Map.of("release", 1)),
                values("monitoring.dashboard.enabled", "true"),
                values("monitoring.dashboard.labels", Map.of("grafana_dashboard", 1)),
                values("monitoring.grafana", Map.of()))) {
            var failure = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalStateException.class, () -> Chart.render(bad), () -> "rejected: " + bad);
            assertTrue(failure.getMessage().contains("schema"), failure::getMessage);
        }
    }

    @Test
    void bothTogetherRenderWithTheRestOfTheChart() {
        Map<String, Object> values = rulesOn("monitoring.dashboard.enabled", true, "serviceMonitor.enabled", true);
        List<Map<String, Object>> documents = render(values);
        for (Map<String, Object> document : documents) {
            if (!"PrometheusRule".equals(document.get("kind"))) {
                assertNotNull(Manifests.validate(document));
            }
        }
        only(documents, "PrometheusRule");
        only(documents, "ServiceMonitor");
    }
}
