package modprep.web;

import java.io.File;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven by its own ChromeDriver: both paths are given, so nothing is
 * looked up or downloaded. If they are missing the tests fail: they are never skipped.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    final ChromeDriver driver;

    Browser() {
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1000");
        var service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    void open(String url) {
        driver.get(url);
    }

    /** Signs in through the sign-in page (a fresh browser session each time). */
    void signIn(String signInUrl, String user, String password) {
        driver.manage().deleteAllCookies();
        open(signInUrl);
        find("#name").sendKeys(user);
        find("#password").sendKeys(password);
        clickAndLoad("#signin-button");
    }

    WebElement find(String css) {
        return waitFor(css);
    }

    WebElement waitFor(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    /** Waits until the element's text contains the given text (live updates, redirects). */
    void waitForText(String css, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    String text(String css) {
        return find(css).getText();
    }

    boolean present(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Clicks once the element can take the click (a dialog still fading in cannot). */
    void click(String css) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.ElementClickInterceptedException.class)
                .until(d -> {
                    var element = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
                    if (element == null) {
                        return false;
                    }
                    element.click();
                    return true;
                });
    }

    /**
     * Clicks something that loads a new page (a form's submit), and waits until the new page is there.
     * The old page is marked with a script variable that the new one does not have: waiting for the old
     * element to go stale instead raced with Chromium 156 tearing the old document down ("Node with
     * given id does not belong to the document").
     */
    void clickAndLoad(String css) {
        driver.executeScript("window.modprepOldPage = true;");
        click(css);
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(WebDriverException.class)
                .until(d -> Boolean.TRUE.equals(driver.executeScript(
                        "return window.modprepOldPage === undefined && document.readyState === 'complete';")));
        waitFor("body");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
