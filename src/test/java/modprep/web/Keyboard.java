package modprep.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The console used from the keyboard alone, and at the width of a phone or a zoomed window. */
final class Keyboard {
    /** What Tab may stop on: links, buttons, fields, disclosures, and anything given a tab stop. */
    private static final String ACTIONS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";

    /**
     * Numbers every action the page shows: Tab skips what is hidden (a closed menu, dialog or disclosure),
     * disabled or taken out with tabindex=-1.
     */
    private static final String MARK = """
            var shown = [];
            document.querySelectorAll(arguments[0]).forEach(function (el) {
              if (el.disabled || el.getAttribute('tabindex') === '-1' || el.closest('[inert]')
                  || !el.checkVisibility({ visibilityProperty: true })) { return; }
              el.setAttribute('data-tab-stop', String(shown.length));
              shown.push(el.outerHTML.slice(0, 160));
            });
            return shown;
            """;

    /** Where the focus is, and whether it shows: an outline or a box shadow (Bootstrap's focus ring). */
    private static final String FOCUS = """
            var el = document.activeElement;
            if (!el || el === document.body || el === document.documentElement) { return null; }
            var style = getComputedStyle(el);
            var outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            var shadow = style.boxShadow && style.boxShadow !== 'none';
            var rect = el.getBoundingClientRect();
            return { stop: el.getAttribute('data-tab-stop'), html: el.outerHTML.slice(0, 160), visible: Boolean(outline || shadow),
                     seen: rect.width > 1 && rect.height > 1, id: el.id };
            """;

    /**
     * Records each element the focus lands on, as {@link #FOCUS} describes it. Past the last stop the focus
     * leaves the page, and the next Tab brings it back to the first.
     */
    private static final String RECORD = """
            window.tabWalk = [];
            document.addEventListener('focusin', function () {
              window.tabWalk.push((function () {
            """ + FOCUS + """
              })());
            }, true);
            """;

    private Keyboard() {
    }

    /**
     * Opens the page and walks it with Tab from its start: every action the page shows is reached, each
     * with a visible focus; with {@code skipLink}, the first stop is a skip link that moves the focus to
     * the main content. Returns what is wrong, if anything.
     */
    static List<String> tabThrough(Browser browser, String url, boolean skipLink) {
        var problems = new ArrayList<String>();
        if (skipLink) {
            open(browser, url);
            press(browser, Keys.TAB);
            var first = focus(browser);
            if (first == null || !"skip-link".equals(first.get("id"))) {
                problems.add("the first Tab goes to " + (first == null ? "nothing" : first.get("html")) + ", not the skip link");
            } else {
                press(browser, Keys.ENTER);
                String at = (String) browser.driver.executeScript("return document.activeElement.id;");
                if (!"main".equals(at)) {
                    problems.add("the skip link moves the focus to '" + at + "', not to the main content");
                }
            }
        }

        open(browser, url);
        @SuppressWarnings("unchecked")
        var shown = (List<String>) browser.driver.executeScript(MARK, ACTIONS);
        // Every Tab of the walk in one go, each stop recorded where the focus lands (two round trips, not two a Tab).
        // With reduced motion (Bootstrap then has no transitions), a focus ring that would fade in for 0.15 s is
        // read as it ends, not as it starts.
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
        List<Map<String, Object>> walk;
        try {
            browser.driver.executeScript(RECORD);
            var keys = new Actions(browser.driver);
            for (int i = 0; i < shown.size() + 10; i++) {
                keys.sendKeys(Keys.TAB);
            }
            keys.perform();
            @SuppressWarnings("unchecked")
            var recorded = (List<Map<String, Object>>) browser.driver.executeScript("return window.tabWalk;");
            walk = recorded;
        } finally {
            browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
        var reached = new LinkedHashSet<Integer>();
        for (var now : walk) {
            if (now == null) {
                continue; // the focus on the page itself
            }
            if (now.get("stop") == null) {
                problems.add("Tab stops on something that is not shown: " + now.get("html"));
                continue;
            }
            int stop = Integer.parseInt((String) now.get("stop"));
            if (!reached.add(stop)) {
                break; // round again
            }
            if (!Boolean.TRUE.equals(now.get("visible")) || !Boolean.TRUE.equals(now.get("seen"))) {
                problems.add("no visible focus on " + now.get("html"));
            }
        }
        for (int i = 0; i < shown.size(); i++) {
            if (!reached.contains(i)) {
                problems.add("Tab never reaches " + shown.get(i));
            }
        }
        return problems;
    }

    /** Opens the page, and waits for its live updates to start if it has them (the first may swap the banner and sidebar). */
    private static void open(Browser browser, String url) {
        browser.open(url);
        if (Boolean.TRUE.equals(browser.driver.executeScript("return document.querySelector('script[src$=\"/live.js\"]') !== null;"))) {
            browser.waitFor("body[data-live-stamp]");
        }
    }

    static void press(Browser browser, CharSequence key) {
        new Actions(browser.driver).sendKeys(key).perform();
    }

    /** Puts the focus on an element, as a user who tabbed to it would have it. */
    static void focus(Browser browser, String css) {
        browser.driver.executeScript("arguments[0].focus();", browser.find(css));
    }

    static WebElement active(Browser browser) {
        return browser.driver.switchTo().activeElement();
    }

    /** Presses Tab until the focus is on the element, at most {@code presses} times. */
    static boolean tabUntil(Browser browser, String css, int presses) {
        var target = browser.find(css);
        for (int i = 0; i < presses; i++) {
            press(browser, Keys.TAB);
            if (active(browser).equals(target)) {
                return true;
            }
        }
        return false;
    }

    static void waitForFocusIn(Browser browser, String css) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(browser.driver.executeScript(
                "var c = document.querySelector(arguments[0]); return c !== null && c.contains(document.activeElement);", css)));
    }

    static void waitForFocusOn(Browser browser, String css) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(browser.driver.executeScript(
                "return document.activeElement === document.querySelector(arguments[0]);", css)));
    }

    /**
     * The page laid out for a viewport this many CSS pixels wide, as a window zoomed in would lay it out
     * (1280 px at 400 % is 320 CSS px); 0 goes back to the window's own size.
     */
    static void viewport(Browser browser, int width, int height) {
        if (width == 0) {
            browser.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        } else {
            browser.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> focus(Browser browser) {
        return (Map<String, Object>) browser.driver.executeScript(FOCUS);
    }
}
