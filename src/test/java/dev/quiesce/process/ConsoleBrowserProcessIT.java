package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver; nothing is downloaded)
 * against the real jar: demo jobs, then SIGTERM, and the drain as a person would see it. Keeps a
 * screenshot of the drain in {@code target/console-drain.png}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class ConsoleBrowserProcessIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

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
        new WebDriverWait(browser, WAIT).withMessage(what).until(driver -> condition.getAsBoolean());
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

    private static double parsePx(String css) {
        return Double.parseDouble(css.replace("px", "").trim());
    }
}
