package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import tools.jackson.databind.JsonNode;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver; nothing is downloaded)
 * against the real jar: demo jobs, then SIGTERM, and the drain as a person would see it; and the console's
 * actions (a job's retry, a bulk retry after its counted confirmation, a schedule's pause, resume and trigger),
 * with the job API open and behind a token. Keeps screenshots in {@code target/console-drain.png} and
 * {@code target/console-actions.png}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class ConsoleBrowserProcessIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** One schedule, due on 29 February only: in a test, only the console's trigger makes its jobs. */
    private static final List<String> SCHEDULE = List.of("--quiesce.schedules[0].name=tick",
            "--quiesce.schedules[0].cron=0 0 0 29 2 *", "--quiesce.schedules[0].type=sleep",
            "--quiesce.schedules[0].params.durationMs=10");

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            System.out.println("Browser test not run: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " are needed (apt-get install chromium chromium-driver; .ci/run installs them)");
        }
        Assumptions.assumeTrue(present, "no chromium/chromedriver on this machine");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createTempDirectory("quiesce-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        browser = new ChromeDriver(service, options);
        // Records, from before any page script runs, every request the page's Content-Security-Policy refuses.
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.cspViolations = [];"
                        + "document.addEventListener('securitypolicyviolation', (e) => "
                        + "window.cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI));"));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void until(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class)
                .until(driver -> condition.getAsBoolean());
    }

    /** Clicks what {@code by} finds once it is there, again if the page redrew it in between. */
    private void click(By by) {
        until("click " + by, () -> {
            browser.findElement(by).click();
            return true;
        });
    }

    @Test
    void whenThePageRunsTheDemoAndTheProcessGetsSigtermThenItShowsTheDrainWithBudgetAndPhases() throws Exception {
        QuiesceProcess quiesce = processes.start("--quiesce.pool.workers=2", "--quiesce.shutdown.budget=10s");
        browser.get("http://127.0.0.1:" + quiesce.port() + "/");
        until("the page shows RUNNING", () -> text("state").equals("RUNNING"));
        assertThat(browser.findElement(By.id("state")).getCssValue("border-radius")).as("the stylesheet applies")
                .isEqualTo("12px");

        WebElement count = browser.findElement(By.id("demo-count"));
        count.clear();
        count.sendKeys("16");
        WebElement duration = browser.findElement(By.id("demo-duration"));
        duration.clear();
        duration.sendKeys("1200");
        browser.findElement(By.id("demo-submit")).click();
        until("the counts rise", () -> Integer.parseInt(text("running")) > 0 && Integer.parseInt(text("queued")) > 0);
        until("the demo reports its jobs", () -> text("demo-result").startsWith("16 accepted"));

        quiesce.sigterm();

        until("the page shows DRAINING", () -> text("state").equals("DRAINING"));
        until("the budget bar runs down", () -> {
            String width = browser.findElement(By.id("budget-fill")).getCssValue("width");
            String full = browser.findElement(By.id("budget-bar")).getCssValue("width");
            return parsePx(width) < 0.8 * parsePx(full); // a quarter of the budget gone: mid-drain
        });
        until("the jobs phase appears on the timeline",
                () -> !browser.findElements(By.cssSelector("[data-phase='jobs'] .seg")).isEmpty());
        assertThat(browser.findElement(By.id("stop-live")).isDisplayed()).isTrue();
        assertThat(text("phases")).contains("intake", "jobs");
        WebElement segment = browser.findElement(By.cssSelector("[data-phase='jobs'] .seg"));
        assertThat(parsePx(segment.getCssValue("width"))).as("the jobs segment is placed and sized").isPositive();
        assertThat(browser.executeScript("return window.cspViolations")).as("requests the policy refused")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).isEmpty();
        // the policy is on: an inline handler injected into the page does not run
        assertThat(browser.executeScript("document.body.insertAdjacentHTML('beforeend', "
                + "'<img src=\"/no-such-image.png\" onerror=\"window.inlineRan = true\">');"
                + "return new Promise((done) => setTimeout(() => done(window.cspViolations), 500));"))
                .as("requests the policy refused").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .anySatisfy(violation -> assertThat(violation.toString()).startsWith("script-src-attr"));
        assertThat(browser.executeScript("return window.inlineRan === true")).isEqualTo(false);
        Path shot = Path.of("target", "console-drain.png");
        Files.createDirectories(shot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("Console screenshot of the drain: " + shot.toAbsolutePath());

        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status with the console open").isZero();
        until("the page notices the stop", () -> !text("state").equals("DRAINING") || !text("connection").equals("live"));
    }

    @Test
    void whenAJobFailedThenTheConsoleRetriesItRetriesTheFilteredListAfterCountingItAndPausesASchedule()
            throws Exception {
        QuiesceProcess quiesce = processes.start(args(List.of("--quiesce.pool.workers=2",
                "--quiesce.instance-id=console-1"), SCHEDULE));
        String failing = "{\"type\":\"fail\",\"params\":{\"afterMs\":200,\"message\":\"boom <b>not bold</b>\"}}";
        String retried = quiesce.submitAccepted(failing);
        until("the job fails", () -> "FAILED".equals(job(quiesce, retried, null).get("status").asString()));
        browser.get("http://127.0.0.1:" + quiesce.port() + "/");
        until("the page shows RUNNING", () -> text("state").equals("RUNNING"));

        // the list filtered by status, then the job's detail from its row
        new Select(browser.findElement(By.id("filter-status"))).selectByVisibleText("FAILED");
        click(By.cssSelector("tr[data-id='" + retried + "'] button"));
        until("the detail shows the failed job", () -> field("status").equals("FAILED"));
        assertThat(text("detail-id")).isEqualTo(retried);
        assertThat(field("error")).as("the server's text shown as text").isEqualTo("boom <b>not bold</b>");
        assertThat(browser.findElements(By.cssSelector("#job-detail b"))).as("nothing parsed as HTML").isEmpty();
        assertThat(field("attempts")).isEqualTo("1");
        assertThat(text("detail-timeline")).contains("attempt 1 started on console-1", "ended FAILED");
        assertThat(browser.findElement(By.id("detail-cancel")).isEnabled()).as("a failed job cannot be cancelled")
                .isFalse();

        click(By.id("detail-retry"));
        until("the page says the retry was accepted", () -> text("detail-result").startsWith("Retry accepted (202)"));
        until("the job ran again", () -> job(quiesce, retried, null).get("attempts").asInt() == 2);
        until("it failed again", () -> job(quiesce, retried, null).get("failures").asInt() == 2
                && "FAILED".equals(job(quiesce, retried, null).get("status").asString()));
        until("the detail shows its second run", () -> field("attempts").equals("2") && field("failures").equals("2")
                && field("status").equals("FAILED"));

        // a bulk retry of FAILED jobs of type fail: the confirmation counts them, the others are not touched
        String second = quiesce.submitAccepted(failing);
        String third = quiesce.submitAccepted(failing);
        String otherType = quiesce.submitAccepted("{\"type\":\"fanout\",\"params\":{\"tasks\":["
                + "{\"type\":\"fail\",\"params\":{\"afterMs\":0,\"message\":\"x\"}}]}}");
        String cancelled = quiesce.submitAccepted(
                "{\"type\":\"fail\",\"params\":{\"afterMs\":0,\"message\":\"never\"},\"delayMs\":600000}");
        assertThat(quiesce.delete("/jobs/" + cancelled).statusCode()).isEqualTo(202);
        for (String id : List.of(second, third, otherType)) {
            until(id + " fails", () -> "FAILED".equals(job(quiesce, id, null).get("status").asString()));
        }
        WebElement type = browser.findElement(By.id("filter-type"));
        type.clear();
        type.sendKeys("fail");
        click(By.cssSelector("#job-filter button[type='submit']"));
        until("the list shows the three", () -> browser.findElements(By.cssSelector("#jobs tr[data-id]")).size() == 3);
        assertThat(browser.findElement(By.id("bulk-confirm")).isDisplayed()).as("no question before the click")
                .isFalse();
        click(By.id("bulk-retry"));
        until("the confirmation asks", () -> browser.findElement(By.id("bulk-confirm")).isDisplayed());
        assertThat(text("bulk-question")).as("the confirmation names the count")
                .startsWith("Retry 3 FAILED jobs of type fail?");
        assertThat(text("bulk-go")).isEqualTo("Retry 3");
        click(By.id("bulk-go"));
        until("the page shows the answer", () -> text("bulk-result").equals("Retried: 3 matched, 3 changed."));
        until("the three ran again", () -> job(quiesce, retried, null).get("attempts").asInt() == 3
                && job(quiesce, second, null).get("attempts").asInt() == 2
                && job(quiesce, third, null).get("attempts").asInt() == 2);
        assertThat(job(quiesce, otherType, null).get("attempts").asInt()).as("another type").isEqualTo(1);
        assertThat(job(quiesce, cancelled, null).get("status").asString()).as("another status").isEqualTo("CANCELLED");

        // a job for later cancelled from its detail, then the other two by a bulk cancel
        String later = "{\"type\":\"sleep\",\"params\":{\"durationMs\":10},\"delayMs\":600000}";
        List<String> scheduled = List.of(quiesce.submitAccepted(later), quiesce.submitAccepted(later),
                quiesce.submitAccepted(later));
        new Select(browser.findElement(By.id("filter-status"))).selectByVisibleText("SCHEDULED");
        type.clear();
        type.sendKeys("sleep");
        click(By.cssSelector("#job-filter button[type='submit']"));
        click(By.cssSelector("tr[data-id='" + scheduled.get(0) + "'] button"));
        until("the detail shows the job for later", () -> field("status").equals("SCHEDULED"));
        assertThat(browser.findElement(By.id("detail-retry")).isEnabled()).as("a job not run cannot be retried")
                .isFalse();
        click(By.id("detail-cancel"));
        until("the page says the cancel was accepted",
                () -> text("detail-result").equals("Cancel accepted (202): the job is CANCELLED"));
        assertThat(job(quiesce, scheduled.get(0), null).get("status").asString()).isEqualTo("CANCELLED");
        until("the list leaves it out", () -> browser.findElements(By.cssSelector("#jobs tr[data-id]")).size() == 2);
        click(By.id("bulk-cancel"));
        until("the confirmation asks", () -> browser.findElement(By.id("bulk-confirm")).isDisplayed());
        assertThat(text("bulk-question")).startsWith("Cancel 2 SCHEDULED jobs of type sleep?");
        click(By.id("bulk-go"));
        until("the page shows the answer", () -> text("bulk-result").equals("Cancelled: 2 matched, 2 changed."));
        for (String id : scheduled) {
            assertThat(job(quiesce, id, null).get("status").asString()).as(id).isEqualTo("CANCELLED");
        }

        // pages of a filtered list
        for (int i = 0; i < 17; i++) {
            quiesce.submitAccepted("{\"type\":\"compute\",\"params\":{\"input\":\"p" + i + "\",\"iterations\":1}}");
        }
        until("the computations end", () -> getJson(quiesce, "/jobs?status=SUCCEEDED&type=compute&limit=100", null)
                .get("jobs").size() == 17);
        new Select(browser.findElement(By.id("filter-status"))).selectByVisibleText("SUCCEEDED");
        type.clear();
        type.sendKeys("compute");
        click(By.cssSelector("#job-filter button[type='submit']"));
        until("the first page is full", () -> browser.findElements(By.cssSelector("#jobs tr[data-id]")).size() == 15
                && browser.findElement(By.id("page-older")).isEnabled());
        click(By.id("page-older"));
        until("the second page holds the rest", () -> text("page-label").equals("page 2")
                && browser.findElements(By.cssSelector("#jobs tr[data-id]")).size() == 2);
        assertThat(browser.findElement(By.id("page-older")).isEnabled()).as("no page after the last").isFalse();
        click(By.id("page-newer"));
        until("back on the first page", () -> text("page-label").equals("page 1")
                && browser.findElements(By.cssSelector("#jobs tr[data-id]")).size() == 15);

        // the schedule: pause, resume, trigger
        By tick = By.cssSelector("tr[data-schedule='tick']");
        until("the schedule is listed, not paused", () -> browser.findElement(tick)
                .findElement(By.cssSelector("[data-field='paused']")).getText().equals("no"));
        click(By.cssSelector("tr[data-schedule='tick'] button[data-action='pause']"));
        until("the page says it paused", () -> text("schedule-result").equals("Paused tick: it is paused"));
        assertThat(schedule(quiesce, null).get("paused").asBoolean()).as("GET /schedules after the pause").isTrue();
        until("the row shows it paused",
                () -> browser.findElement(By.cssSelector("tr[data-schedule='tick'] [data-field='paused']")).getText()
                        .equals("paused"));
        click(By.cssSelector("tr[data-schedule='tick'] button[data-action='resume']"));
        until("the page says it resumed", () -> text("schedule-result").equals("Resumed tick: it is running"));
        assertThat(schedule(quiesce, null).get("paused").asBoolean()).as("GET /schedules after the resume").isFalse();
        click(By.cssSelector("tr[data-schedule='tick'] button[data-action='trigger']"));
        until("the page names the triggered job", () -> text("schedule-result").startsWith("Triggered tick: job "));
        String triggered = text("schedule-result").replaceFirst("Triggered tick: job (\\S+) .*", "$1");
        assertThat(job(quiesce, triggered, null).get("idempotencyKey").asString()).startsWith("schedule:tick:manual:");

        // the instances
        By instance = By.cssSelector("#instances tr[data-instance='console-1']");
        until("the instance is listed", () -> browser.findElement(instance).getText().contains("RUNNING"));
        String version = getJson(quiesce, "/instances", null).get("instances").get(0).get("version").asString();
        assertThat(browser.findElement(instance).getText()).contains(version).contains(" ago");

        assertThat(browser.executeScript("return window.cspViolations")).as("requests the policy refused")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).isEmpty();
        Path shot = Path.of("target", "console-actions.png");
        Files.createDirectories(shot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void whenTheJobApiNeedsATokenThenTheConsoleSays401UntilItIsEnteredAndAnActionWithoutItIsRefused()
            throws Exception {
        String token = "console-test-token";
        QuiesceProcess quiesce = processes.start(args(List.of(), SCHEDULE, List.of("--quiesce.api.token=" + token)));
        browser.get("http://127.0.0.1:" + quiesce.port() + "/");
        until("the page says the API needs a token", () -> browser.findElement(By.id("auth-notice")).isDisplayed()
                && text("auth-notice").startsWith("401 Unauthorized: the job API needs a token"));
        assertThat(browser.findElements(By.cssSelector("tr[data-schedule]"))).as("no schedule without the token")
                .isEmpty();

        enterToken("not-the-token");
        until("the page says the token was refused",
                () -> text("auth-notice").startsWith("401 Unauthorized: the job API refused the token entered"));

        enterToken(token);
        until("the schedules appear",
                () -> !browser.findElements(By.cssSelector("tr[data-schedule='tick']")).isEmpty());
        until("the notice goes", () -> !browser.findElement(By.id("auth-notice")).isDisplayed());
        assertThat(text("token-state")).isEqualTo("token entered (kept in this tab only)");
        click(By.cssSelector("tr[data-schedule='tick'] button[data-action='pause']"));
        until("the page says it paused", () -> text("schedule-result").equals("Paused tick: it is paused"));
        assertThat(schedule(quiesce, token).get("paused").asBoolean()).as("GET /schedules after the pause").isTrue();
        until("the row offers Resume", () -> !browser.findElements(
                By.cssSelector("tr[data-schedule='tick'] button[data-action='resume']")).isEmpty());

        click(By.id("token-forget"));
        until("the page says the API needs a token again",
                () -> browser.findElement(By.id("auth-notice")).isDisplayed());
        click(By.cssSelector("tr[data-schedule='tick'] button[data-action='resume']"));
        until("the action's 401 is shown", () -> text("schedule-result").startsWith("Resume tick refused: 401"));
        assertThat(schedule(quiesce, token).get("paused").asBoolean()).as("still paused: the resume was refused")
                .isTrue();
        assertThat(browser.executeScript("return window.cspViolations")).as("requests the policy refused")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).isEmpty();
    }

    private void enterToken(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        click(By.cssSelector("#token-form button[type='submit']"));
    }

    /** The text of the open job's field {@code name}, "" while the detail does not show it. */
    private String field(String name) {
        List<WebElement> found = browser.findElements(By.cssSelector("#detail-fields [data-field='" + name + "']"));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    @SafeVarargs
    private static String[] args(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toArray(String[]::new);
    }

    private static JsonNode job(QuiesceProcess quiesce, String id, String token) {
        return getJson(quiesce, "/jobs/" + id, token);
    }

    /** The schedule {@code tick} as {@code GET /schedules} shows it. */
    private static JsonNode schedule(QuiesceProcess quiesce, String token) {
        for (JsonNode schedule : getJson(quiesce, "/schedules", token).get("schedules")) {
            if (schedule.get("name").asString().equals("tick")) {
                return schedule;
            }
        }
        throw new AssertionError("no schedule tick in GET /schedules");
    }

    /** {@code GET path} (with the bearer {@code token} unless it is null), which must answer 200. */
    private static JsonNode getJson(QuiesceProcess quiesce, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(quiesce.uri(path)).timeout(QuiesceProcess.REQUEST_TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
            return QuiesceProcess.json(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double parsePx(String css) {
        return Double.parseDouble(css.replace("px", "").trim());
    }
}
