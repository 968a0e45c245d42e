package io.tessera.app;

import java.time.Duration;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Waiting in a browser test until the page an element was read from has been replaced by the next one. */
final class PageChange {

    /**
     * Waits up to 20 s until {@code old} no longer belongs to the page. Chromium's driver reports an element of a page
     * being replaced either as stale or, while the new document is being built, as "does not belong to the document";
     * both mean the old page is gone (Selenium's own staleness wait only knows the first and fails on the second).
     */
    static void awaitReplaced(WebDriver browser, WebElement old) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
            try {
                old.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) return true;
                throw e;
            }
        });
    }

    private PageChange() {}
}
