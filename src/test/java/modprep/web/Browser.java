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

    /**
     * Clicks once the element can take the click (a dialog still fading in cannot). The element is first
     * scrolled to the middle of the page: ChromeDriver scrolls it only to the bottom edge, where a live
     * region growing above it pushes it out of sight between the scroll and the click (CI once failed so,
     * "not clickable at point (320, 894)" in a page 857 px high). At once, not smoothly as Bootstrap's
     * {@code scroll-behavior: smooth} would have it: the click came while the page was still on its way
     * (CI on fe6b0f8: "#apply-configurations could not be clicked", the page scrolled to 126 px only).
     */
    void click(String css) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(20))
                    .ignoring(org.openqa.selenium.ElementClickInterceptedException.class)
                    .until(d -> {
                        var element = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
                        if (element == null) {
                            return false;
                        }
                        driver.executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});", element);
                        element.click();
                        return true;
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(css + " could not be clicked; " + driver.executeScript("""
                    var e = document.querySelector(arguments[0]);
                    if (!e) { return 'it is not on the page'; }
                    var r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2, at = document.elementFromPoint(x, y);
                    return 'its middle is at (' + Math.round(x) + ', ' + Math.round(y) + ') in a page ' + innerWidth + 'x' + innerHeight
                      + ' scrolled to ' + scrollY + ', where the browser finds ' + (at ? at.outerHTML.slice(0, 200) : 'nothing')
                      + '; body classes: ' + document.body.className;""", css), e);
        }
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

    /**
     * How far the page scrolls sideways, once its stylesheets and fonts are in (a page measured before its
     * stylesheet applies is as wide as its widest picture): null if it does not, else the distance, the
     * elements that stick out and any stylesheet that did not load, so that a failure says why.
     */
    String sidewaysScrolling() {
        String first = measureSideways();
        if (first == null) {
            return null;
        }
        // Once more after a reload: a layout that overflows for good does so again; a page caught half-styled
        // (CI saw /preparations/1 at 320 px once, and never again in tens of runs) is said here, in the log.
        System.out.println("SIDEWAYS " + driver.getCurrentUrl() + " " + first + "; measured again after a reload");
        driver.navigate().refresh();
        String again = measureSideways();
        return again == null ? null : again + " (and before a reload: " + first + ")";
    }

    private String measureSideways() {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(driver.executeScript("""
                    return document.readyState === 'complete' && document.fonts.status === 'loaded'
                        && Array.prototype.every.call(document.querySelectorAll('link[rel=stylesheet]'), function (l) { return l.sheet !== null; });""")));
        } catch (org.openqa.selenium.TimeoutException stylesheetMissing) {
            // measured all the same: the answer names the stylesheet that did not load
        }
        return (String) driver.executeScript("""
                var root = document.documentElement, width = root.clientWidth;
                var over = Math.max(root.scrollWidth, document.body.scrollWidth) - width;
                if (over <= 0) { return null; }
                function sticksOut(e) { return e.getBoundingClientRect().right > width + 1; }
                var culprits = Array.prototype.filter.call(document.body.querySelectorAll('*'), function (e) {
                  return sticksOut(e) && !Array.prototype.some.call(e.children, sticksOut);
                }).slice(0, 3).map(function (e) {
                  return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.getAttribute('class') ? '.' + e.getAttribute('class').trim().split(/\\s+/).join('.') : '')
                    + ' (' + Math.round(e.getBoundingClientRect().width) + ' px wide)';
                });
                var unstyled = Array.prototype.filter.call(document.querySelectorAll('link[rel=stylesheet]'), function (l) {
                  try { return l.sheet === null || l.sheet.cssRules.length === 0; } catch (e) { return false; }
                }).map(function (l) { return l.getAttribute('href'); });
                return 'scrolls sideways by ' + over + ' px at ' + width + ' px; sticking out: ' + culprits.join(', ')
                    + (unstyled.length ? '; stylesheets not loaded or empty: ' + unstyled.join(', ') : '');""");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
