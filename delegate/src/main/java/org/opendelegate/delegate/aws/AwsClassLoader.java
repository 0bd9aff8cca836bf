package org.opendelegate.delegate.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Loads the AWS task code ({@code org.opendelegate.tasks.aws}) and the AWS SDK ({@code software.amazon})
 * itself, from the class files of the delegate's own jar, and everything else (the task SPI, Jackson,
 * SLF4J, the JDK) from its parent. Once the last reference to this loader is gone, a full collection
 * unloads every class it defined: that is how an idle delegate gives back the 30-odd MiB of metaspace
 * and symbols the SDK takes ({@link AwsRuntime}).
 */
final class AwsClassLoader extends ClassLoader {
    /** What this loader defines itself; both only refer outwards to the SPI, Jackson, SLF4J and the JDK. */
    static final List<String> OWN_PACKAGES = List.of("org.opendelegate.tasks.aws.", "software.amazon.");

    static {
        registerAsParallelCapable();
    }

    AwsClassLoader(ClassLoader parent) {
        super("opendelegate-aws", parent);
    }

    static boolean owns(String className) {
        return OWN_PACKAGES.stream().anyMatch(className::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!owns(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = findClass(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String file = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(file)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " from the delegate's jar", e);
        }
    }
}
