package dev.pulse.serving;

import static dev.pulse.serving.Plans.DAY;
import static dev.pulse.serving.Plans.HOUR;
import static dev.pulse.serving.Plans.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec.CountBy;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.testsupport.PostgresExtension;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard page in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright for Java) over a seeded
 * PostgreSQL: the analyses list, the metric's time-series chart, the funnel's bars and the retention cohort table, each
 * drawn from what the query API answered. Screenshots go to target/dashboard*.png.
 *
 * <p>Rows are seeded a few hours before now, so the page's default range (the last 24 hours) shows them without editing
 * the range inputs. Its own database, so the catalog of {@link QueryApiTest} is not mixed with this one.
 * The page first asks without a token, gets a 401 and shows its sign-in field; the user's token then
 * goes into the tab's sessionStorage and on every request. A header set by an auth proxy in front
 * passes through when the user has not signed in.
 */
@QuarkusTest
@QuarkusTestResource(value = ServingDatabase.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "database", value = "serving_dashboard"))
@QuarkusTestResource(value = AccessReviewServer.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    static final AnalysisPlan ORDERS = Plans.metric("shop", "orders", "aaaa000002", AggregationType.count, List.of("platform"), MINUTE,
            List.of(HOUR), false, 400 * DAY);
    static final AnalysisPlan CHECKOUT = Plans.funnel("shop", "checkout", "dddd000002", List.of("viewed", "carted", "purchased"),
            CountBy.uniques, List.of("platform"), HOUR);
    static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\">";
    static final AnalysisPlan BUYERS = Plans.retention("shop", "buyers", "eeee000002", 3, List.of("platform"));

    @TestHTTPResource("/")
    URL dashboard;

    Playwright playwright;
    Browser browser;
    /** Three hours before now, on the hour: inside the page's default range [ceil(now, 1h) - 24h, ceil(now, 1h)). */
    Instant base;

    @BeforeAll
    void seedAndLaunch() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            // a fresh machine: tools/install-tools.sh installs Debian's chromium (as root with apt, like CI)
            Process install = new ProcessBuilder("bash", java.nio.file.Path.of("..", "tools", "install-tools.sh").toString())
                    .inheritIO().start();
            install.waitFor(15, java.util.concurrent.TimeUnit.MINUTES);
        }
        if (!Files.isExecutable(CHROMIUM)) {
            fail("no Chromium at " + CHROMIUM + ": the dashboard browser test needs Debian's chromium package "
                    + "(apt-get install -y --no-install-recommends chromium fonts-liberation)");
        }
        base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        try (Connection c = PostgresExtension.shared().database("serving_dashboard")) {
            ServingSchema.applyAnalyses(c, List.of(ORDERS, CHECKOUT, BUYERS));
            TableLayout orders = TableLayout.of(ORDERS);
            Rows.upsert(c, orders, base, base.plusMillis(MINUTE), new String[] {"ios"}, true, 7.0, null, null);
            Rows.upsert(c, orders, base, base.plusMillis(MINUTE), new String[] {"web"}, true, 3.0, null, null);
            Rows.upsert(c, orders, base.plusMillis(MINUTE), base.plusMillis(2 * MINUTE), new String[] {"ios"}, true, 11.0, null, null);
            Rows.upsert(c, orders, base.plusMillis(2 * MINUTE), base.plusMillis(3 * MINUTE), new String[] {"ios"}, false, 13.0, null, null);
            TableLayout checkout = TableLayout.of(CHECKOUT);
            Rows.upsert(c, checkout, base, base.plusMillis(HOUR), new String[] {"ios"}, true, new Long[] {10L, 4L, 1L}, 120000.0);
            Rows.upsert(c, checkout, base, base.plusMillis(HOUR), new String[] {"web"}, true, new Long[] {10L, 6L, 3L}, 90000.0);
            // a cohort of 4: period 1 all back, period 2 half, period 3 not over yet; cohorts start at midnight (UTC),
            // and today's is in the page's default range (the last day, rounded up to whole days) at any hour
            Instant cohort = Instant.now().truncatedTo(ChronoUnit.DAYS);
            Rows.upsert(c, TableLayout.of(BUYERS), cohort, cohort.plusMillis(DAY), new String[] {"ios"}, false,
                    4L, new Long[] {4L, 2L, 1L}, new Boolean[] {true, true, false});
            // a dimension value is event data: it must show as text, never run as markup
            Rows.upsert(c, TableLayout.of(BUYERS), cohort, cohort.plusMillis(DAY), new String[] {HOSTILE}, false,
                    1L, new Long[] {1L, 0L, 0L}, new Boolean[] {true, true, false});
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS));
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> metricSeries(Page page) {
        // name: value@final/provisional, per point, as ECharts holds the option the page built from the API answer
        return (List<String>) page.evaluate("() => echarts.getInstanceByDom(document.getElementById('chart')).getOption().series"
                + ".map(s => s.name + ': ' + s.data.map(d => d.value[1] + (d.symbol === 'circle' ? '' : ' provisional')).join(', '))");
    }

    @Test
    void theDashboardListsTheAnalysesAndDrawsEachFromTheApi() {
        try (var context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900))) {
            Page page = context.newPage();
            // without a token the API answers 401 and the page asks for one
            var unauthorized = page.waitForResponse(r -> r.url().endsWith("/api/v1/catalog"), () -> page.navigate(dashboard.toString()));
            assertThat(unauthorized.status()).isEqualTo(401);
            PlaywrightAssertions.assertThat(page.locator("#signin")).isVisible();
            PlaywrightAssertions.assertThat(page.locator("#error")).containsText("bearer token");

            // script errors and failed requests (but the favicon the page does not have)
            List<String> errors = new java.util.ArrayList<>();
            page.onPageError(errors::add);
            page.onResponse(r -> {
                if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
                    errors.add(r.status() + " " + r.url());
                }
            });

            // signed in, the page selects the first metric and asks the API for its points, with the token
            String token = AccessReviewServer.namespace("shop");
            page.locator("#token").fill(token);
            var metricAnswer = page.waitForResponse(r -> r.url().contains("/api/v1/namespaces/shop/metrics/orders?"),
                    () -> page.locator("#signinButton").click());
            assertThat(metricAnswer.status()).isEqualTo(200);
            assertThat(metricAnswer.request().headerValue("authorization")).isEqualTo("Bearer " + token);
            assertThat(page.evaluate("() => sessionStorage.getItem('pulse.token')")).isEqualTo(token);
            PlaywrightAssertions.assertThat(page.locator("#signin")).isHidden();

            Locator rows = page.locator("#catalog tbody tr.analysis");
            PlaywrightAssertions.assertThat(rows).hasCount(3);
            PlaywrightAssertions.assertThat(page.locator("#catalog tbody tr[data-key='Metric/shop/orders'] td"))
                    .hasText(new String[] {"Metric", "shop/orders", "1m, 1h", "active"});
            PlaywrightAssertions.assertThat(page.locator("#catalog tbody tr[data-key='Funnel/shop/checkout']")).containsText("shop/checkout");
            PlaywrightAssertions.assertThat(page.locator("#catalog tbody tr[data-key='Retention/shop/buyers']")).containsText("shop/buyers");

            // the metric: a canvas chart with the seeded points, the provisional one marked as such
            PlaywrightAssertions.assertThat(page.locator("#title")).hasText("Metric shop/orders (count)");
            PlaywrightAssertions.assertThat(page.locator("#route")).containsText("served from pulse_shop.mt_orders_aaaa000002");
            page.locator("#chart canvas").first().waitFor();
            PlaywrightAssertions.assertThat(page.locator("#error")).isEmpty();
            page.waitForFunction("() => echarts.getInstanceByDom(document.getElementById('chart')).getOption().series.length > 0");
            assertThat(metricSeries(page)).containsExactly("platform=ios: 7, 11, 13 provisional", "platform=web: 3");
            Object rendered = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('chart')).getModel()"
                    + ".getSeries().map(s => s.getData().count())");
            assertThat(rendered).isEqualTo(List.of(3, 1));
            page.waitForTimeout(1500); // let the line animation finish before the picture
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard.png")).setFullPage(true));

            // the top series only (ios: 7 + 11 + 13 before web's 3), the rest summed as "other", then web on the next page
            page.locator("#top").fill("1");
            var topAnswer = page.waitForResponse(r -> r.url().contains("/metrics/orders?") && r.url().contains("top=1"),
                    () -> page.locator("#refresh").click());
            assertThat(topAnswer.status()).isEqualTo(200);
            page.waitForFunction("() => echarts.getInstanceByDom(document.getElementById('chart')).getOption().series.some(s => s.name === 'other')");
            assertThat(metricSeries(page)).containsExactly("platform=ios: 7, 11, 13 provisional", "other: 3");
            PlaywrightAssertions.assertThat(page.locator("#nextPage")).isVisible();
            var nextAnswer = page.waitForResponse(r -> r.url().contains("/metrics/orders?") && r.url().contains("cursor="),
                    () -> page.locator("#nextPage").click());
            assertThat(nextAnswer.status()).isEqualTo(200);
            page.waitForFunction("() => echarts.getInstanceByDom(document.getElementById('chart')).getOption().series[0]?.name === 'platform=web'");
            assertThat(metricSeries(page)).containsExactly("platform=web: 3");
            PlaywrightAssertions.assertThat(page.locator("#nextPage")).isHidden();
            page.locator("#top").fill("20");

            // the funnel: bars of the step totals over both platforms
            var funnelAnswer = page.waitForResponse(r -> r.url().contains("/api/v1/namespaces/shop/funnels/checkout?"),
                    () -> page.locator("#catalog tbody tr[data-key='Funnel/shop/checkout']").click());
            assertThat(funnelAnswer.status()).isEqualTo(200);
            PlaywrightAssertions.assertThat(page.locator("#title")).hasText("Funnel shop/checkout");
            PlaywrightAssertions.assertThat(page.locator("#route")).containsText("served from pulse_shop.fn_checkout_dddd000002");
            page.waitForFunction("() => echarts.getInstanceByDom(document.getElementById('chart')).getOption().series[0]?.type === 'bar'");
            Object bars = page.evaluate("() => { const o = echarts.getInstanceByDom(document.getElementById('chart')).getOption();"
                    + " return o.xAxis[0].data.map((s, k) => s + '=' + o.series[0].data[k]); }");
            assertThat(bars).isEqualTo(List.of("viewed=20", "carted=10", "purchased=4"));
            page.waitForTimeout(1500);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-funnel.png")).setFullPage(true));

            // the retention: a cohort table, the period not over yet shown as incomplete
            var retentionAnswer = page.waitForResponse(r -> r.url().contains("/api/v1/namespaces/shop/retention/buyers?"),
                    () -> page.locator("#catalog tbody tr[data-key='Retention/shop/buyers']").click());
            assertThat(retentionAnswer.status()).isEqualTo(200);
            PlaywrightAssertions.assertThat(page.locator("#table tbody tr")).hasCount(2);
            Locator cohort = page.locator("#table tbody tr").filter(new Locator.FilterOptions().setHasText("platform=ios"));
            PlaywrightAssertions.assertThat(page.locator("#table tbody tr").filter(new Locator.FilterOptions().setHasText("platform=" + HOSTILE)))
                    .hasCount(1);
            assertThat(page.locator("#table img").count()).as("markup from a dimension value").isZero();
            assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
            PlaywrightAssertions.assertThat(cohort.locator("td"))
                    .hasText(new String[] {Instant.now().truncatedTo(ChronoUnit.DAYS).toString(), "platform=ios", "4", "4 (100%)", "2 (50%)", "…"});
            PlaywrightAssertions.assertThat(cohort.locator("td.incomplete")).hasCount(1);
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-retention.png")).setFullPage(true));

            assertThat(errors).as("page errors and failed requests").isEmpty();
        }
    }

    @Test
    void aTokenSetByAnAuthProxyInFrontPassesThroughWithoutSigningIn() {
        // the proxy's header stands in for one Playwright adds to every request of the context
        String token = AccessReviewServer.allNamespaces();
        try (var context = browser.newContext(new Browser.NewContextOptions().setExtraHTTPHeaders(Map.of("Authorization", "Bearer " + token)))) {
            Page page = context.newPage();
            var metricAnswer = page.waitForResponse(r -> r.url().contains("/api/v1/namespaces/shop/metrics/orders?"),
                    () -> page.navigate(dashboard.toString()));
            assertThat(metricAnswer.status()).isEqualTo(200);
            assertThat(metricAnswer.request().headerValue("authorization")).isEqualTo("Bearer " + token);
            PlaywrightAssertions.assertThat(page.locator("#signin")).isHidden();
            assertThat(page.evaluate("() => sessionStorage.getItem('pulse.token')")).isNull();
        }
    }
}
