package org.opendelegate.delegate.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Configures Logback in code: one console appender, text or JSON after {@code DELEGATE_LOG_FORMAT}.
 * Logback finds it through its own service file before it looks for XML, which keeps the XML
 * configurator (and the classes it loads) out of the delegate's start and memory. Reads the variable
 * itself because Logback starts with the first logger, possibly before the settings are parsed; an
 * invalid value falls back to text and the settings check reports it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class DelegateLogConfigurator extends ContextAwareBase implements Configurator {
    static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0}%replace( [%mdc]){' \\[\\]', ''} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String format = System.getenv("DELEGATE_LOG_FORMAT");
        configure(context, format != null && format.trim().equalsIgnoreCase("json"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static void configure(LoggerContext context, boolean json) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(json ? jsonEncoder(context) : textEncoder(context));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }

    // One object per line with the formatted message, for CloudWatch Logs Insights and other shippers;
    // the raw template, its arguments and Logback's own bookkeeping fields are left out.
    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithFormattedMessage(true);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.start();
        return encoder;
    }
}
