package org.opendelegate.manager;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.opendelegate.manager.config.LogFormat;
import org.slf4j.LoggerFactory;

/** Switches the log format at start: text by default, JSON for log shippers. */
final class LogSetup {
    private LogSetup() {}

    static void apply(LogFormat format) {
        if (format != LogFormat.JSON) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(LogSetup.class.getResource("/logback-json.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("the bundled logback-json.xml is invalid", e);
        }
    }
}
