package org.opendelegate.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * axe-core, the accessibility checker, injected into the page under test. It comes from the npm registry,
 * installed outside the repository by {@code .ci/run}; its path is the system property
 * {@code opendelegate.axeJs} or the environment variable {@code OPENDELEGATE_AXE_JS}, else the place
 * {@code .ci/run} installs it. Without it the tests fail and say how to install it: an accessibility check
 * that silently does not run would prove nothing.
 */
public final class Axe {
    private static final String RUN = "var done = arguments[arguments.length - 1];"
            + "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
            + "  done(r.violations.map(function (v) {"
            + "    return v.id + ' (' + v.impact + '): ' + v.help + '\\n' + v.nodes.map(function (n) {"
            + "      return '    at ' + n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\n/g, ' ');"
            + "    }).join('\\n');"
            + "  }));"
            + "}, function (e) { done(['axe failed: ' + e]); });";

    private final String source;

    private Axe(String source) {
        this.source = source;
    }

    public static Axe load() {
        String configured = System.getProperty("opendelegate.axeJs", System.getenv("OPENDELEGATE_AXE_JS"));
        Path file = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache/opendelegate-axe/node_modules/axe-core/axe.min.js");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("axe-core is not at " + file + "; install it with"
                    + " `npm install --prefix \"$HOME/.cache/opendelegate-axe\" axe-core@4` (as .ci/run does),"
                    + " or set OPENDELEGATE_AXE_JS to its axe.min.js");
        }
        try {
            return new Axe(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The violations axe finds on the page as it is now, one text per rule with the elements it names. */
    @SuppressWarnings("unchecked")
    public List<String> violations(Browser browser) {
        if (!Boolean.TRUE.equals(browser.script("return typeof window.axe === 'object';"))) {
            browser.script(source);
        }
        return (List<String>) browser.driver().executeAsyncScript(RUN);
    }
}
