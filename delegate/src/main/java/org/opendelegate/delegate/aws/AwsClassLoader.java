package org.opendelegate.delegate.aws;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads the AWS task code ({@code org.opendelegate.tasks.aws}) and the AWS SDK ({@code software.amazon},
 * with Reactive Streams, which only the SDK uses) from the AWS jar nested in the delegate's jar
 * ({@link NestedAwsJar}), and everything else (the task SPI, Jackson, SLF4J, the JDK) from its parent.
 * Resources the AWS jar holds (the SDK's service files, interceptor lists, {@code mime.types}) come from
 * it alone, so the SDK sees each once.
 *
 * <p>{@link #close} closes the AWS jar: its central directory (~14,000 entries, some MiB of heap) lives
 * only while AWS work runs. Once the last reference to this loader is gone too, a full collection unloads
 * every class it defined: that is how an idle delegate gives back the 30-odd MiB of metaspace and symbols
 * the SDK takes ({@link AwsRuntime}).
 */
final class AwsClassLoader extends ClassLoader implements Closeable {
    /** What this loader defines itself; all of it only refers outwards to the SPI, Jackson, SLF4J and the JDK. */
    static final List<String> OWN_PACKAGES =
            List.of("org.opendelegate.tasks.aws.", "software.amazon.", "org.reactivestreams.");

    private static final String URL_PROTOCOL = "opendelegate-aws";

    static {
        registerAsParallelCapable();
    }

    private final ZipFile jar;
    private final URLStreamHandler entries = new EntryHandler();
    private volatile boolean closed;

    /** @param jar the AWS jar, open; this loader closes it */
    AwsClassLoader(ZipFile jar, ClassLoader parent) {
        super("opendelegate-aws", parent);
        this.jar = jar;
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
        ZipEntry entry = entry(file);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " from the delegate's AWS jar " + jar.getName(), e);
        }
    }

    /** A resource of the AWS jar comes from it alone; any other from the parent. */
    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        URL own = findResource(name);
        return own != null ? Collections.enumeration(List.of(own)) : super.getResources(name);
    }

    @Override
    protected URL findResource(String name) {
        if (entry(name) == null) {
            return null;
        }
        try {
            return new URL(URL_PROTOCOL, "", -1, "/" + name, entries);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a resource name: " + name, e);
        }
    }

    /** Closes the AWS jar; a class this loader has not defined yet cannot be loaded any more. */
    @Override
    public void close() throws IOException {
        closed = true;
        jar.close();
    }

    private ZipEntry entry(String name) {
        if (closed) {
            // A class or resource asked for after the runtime let go of this generation: say why it fails.
            throw new IllegalStateException("the delegate's AWS code was unloaded; cannot load " + name);
        }
        return jar.getEntry(name);
    }

    /** Opens this loader's resource URLs: entries of the AWS jar, read from the jar this loader holds open. */
    private final class EntryHandler extends URLStreamHandler {
        @Override
        protected URLConnection openConnection(URL url) throws IOException {
            String name = url.getPath().substring(1);
            ZipEntry entry = entry(name);
            if (entry == null) {
                throw new IOException("no " + name + " in the delegate's AWS jar");
            }
            return new URLConnection(url) {
                @Override
                public void connect() {
                    connected = true;
                }

                @Override
                public long getContentLengthLong() {
                    return entry.getSize();
                }

                @Override
                public InputStream getInputStream() throws IOException {
                    return jar.getInputStream(entry);
                }
            };
        }
    }
}
