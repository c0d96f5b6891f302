package dev.quiesce.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Reads a request's body before the request goes on, without holding a thread while its bytes are awaited
 * (Servlet non-blocking IO), then dispatches the request with the body from memory. A blocking read holds a
 * request thread for as long as the client takes: on Java 17 Tomcat has 200 platform threads, and 200 clients
 * sending a byte a second would leave none for health, {@code /lifecycle} or a submit.
 *
 * <ul>
 * <li>The whole body must arrive within {@link #BODY_DEADLINE} (the contract's largest body, 64 KiB, at
 * 6.4 KiB/s: slower than any link a job client should sit behind); later, the answer is {@code 408} and the
 * connection closes.</li>
 * <li>At most {@code limit + 1} bytes are kept: a body over the limit goes on cut there, so
 * {@link BoundedBody} answers {@code 413} as for any body over the limit. A declared length over the limit
 * goes on unread.</li>
 * <li>At most {@link #MAX_READING} bodies are read this way at once (at most 64 MiB held); beyond that, and
 * for form posts (the container parses those itself), the request goes on as before, with a blocking read
 * bounded per read by {@code server.tomcat.connection-timeout}.</li>
 * <li>{@link #refuseAll()} (the web server's graceful phase begins) answers every body still arriving with
 * {@code 503} at once, and so is every body that begins later, so a slow client never holds a stop.</li>
 * </ul>
 * A body whose bytes all came with the headers (a small body usually does) goes on at once, read from the
 * container's buffers without waiting and with no dispatch. It runs after Spring Security, so a request is
 * authorised before its body is read; the dispatch that carries a body read the non-blocking way runs the
 * filters again as any async dispatch does. Thread-safe.
 */
public final class BodyFirstFilter implements Filter {

    static final Duration BODY_DEADLINE = Duration.ofSeconds(10);
    static final int MAX_READING = 1024;

    private static final String READ = BodyFirstFilter.class.getName() + ".read";

    private final int limit;
    private final Set<BodyRead> reading = ConcurrentHashMap.newKeySet();
    private volatile boolean refusing;

    BodyFirstFilter(int limit) {
        this.limit = limit;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        if (request.getDispatcherType() == DispatcherType.ASYNC
                && request.getAttribute(READ) instanceof BodyRead read) {
            request.removeAttribute(READ);
            read.goOn(request, response, chain);
            return;
        }
        if (refusing && request.getDispatcherType() == DispatcherType.REQUEST && hasBody(request)) {
            refuseStopping(response); // a body that would begin now: the graceful phase does not wait for it either
            return;
        }
        if (!readsFirst(request)) {
            chain.doFilter(request, response);
            return;
        }
        ServletInputStream in = request.getInputStream();
        ByteArrayOutputStream arrived = arrivedAlready(in, request.getContentLengthLong());
        if (arrived.size() == request.getContentLengthLong()) {
            // All of it came with the headers (a small body usually does): no thread waits, no dispatch is needed.
            chain.doFilter(new BufferedBody(request, arrived.toByteArray()), response);
            return;
        }
        BodyRead read = new BodyRead(request.startAsync(), in, arrived);
        request.setAttribute(READ, read);
        reading.add(read);
        read.start();
    }

    /**
     * The bytes of the body already in the container's buffers, read without waiting: {@code available()} in
     * blocking mode counts only what is buffered, so no read here waits for the client. Stops at the declared
     * length (unknown, -1: reads nothing, the body goes the non-blocking way).
     */
    private static ByteArrayOutputStream arrivedAlready(ServletInputStream in, long declared) throws IOException {
        ByteArrayOutputStream arrived = new ByteArrayOutputStream();
        if (declared <= 0) {
            return arrived;
        }
        byte[] chunk = new byte[(int) Math.min(declared, 8192)];
        while (arrived.size() < declared && in.available() > 0) {
            int read = in.read(chunk, 0, (int) Math.min(chunk.length, declared - arrived.size()));
            if (read == -1) {
                break;
            }
            arrived.write(chunk, 0, read);
        }
        return arrived;
    }

    /** Answers every body still arriving with 503 (the instance is stopping), and reads no new ones. */
    public void refuseAll() {
        refusing = true;
        reading.forEach(BodyRead::refuse);
    }

    /** Bodies being read now (for tests). */
    int reading() {
        return reading.size();
    }

    private boolean readsFirst(HttpServletRequest request) {
        if (request.getDispatcherType() != DispatcherType.REQUEST || !request.isAsyncSupported()
                || reading.size() >= MAX_READING || !hasBody(request) || request.getContentLengthLong() > limit) {
            return false;
        }
        String type = request.getContentType();
        return type == null || !(type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)
                || type.startsWith("multipart/"));
    }

    private static boolean hasBody(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        return declared > 0 || (declared < 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null);
    }

    private static void refuseStopping(HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_STOPPING);
        response.setHeader(HttpHeaders.CONNECTION, "close");
        Problems.write(response, 503, "Service unavailable", "this instance is stopping; retry on another instance");
    }

    private enum State {
        READING, READ, TOO_LARGE, REFUSED, TIMED_OUT, FAILED
    }

    /** One body being read; its state leaves READING once, and whoever moves it answers. */
    private final class BodyRead implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final ServletInputStream in;
        private final ByteArrayOutputStream bytes;
        private final byte[] chunk = new byte[8192];
        private final AtomicReference<State> state = new AtomicReference<>(State.READING);

        /** {@code arrived}: the bytes read before, without waiting; the rest follows as it comes. */
        BodyRead(AsyncContext async, ServletInputStream in, ByteArrayOutputStream arrived) {
            this.async = async;
            this.in = in;
            this.bytes = arrived;
        }

        void start() {
            async.setTimeout(BODY_DEADLINE.toMillis());
            async.addListener(this);
            in.setReadListener(this); // Tomcat calls onDataAvailable once the body has bytes
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (state.get() == State.READING && in.isReady()) {
                int read = in.read(chunk);
                if (read == -1) {
                    return; // onAllDataRead follows
                }
                bytes.write(chunk, 0, Math.min(read, limit + 1 - bytes.size()));
                if (bytes.size() > limit) {
                    end(State.TOO_LARGE);
                }
            }
        }

        @Override
        public void onAllDataRead() {
            end(State.READ);
        }

        /** The body could not be read (a broken chunk, a client gone): 400 if anyone still listens. */
        @Override
        public void onError(Throwable failure) {
            if (state.compareAndSet(State.READING, State.FAILED)) {
                answerAndClose(400, "Bad request", "the request body could not be read");
            }
        }

        void refuse() {
            end(State.REFUSED);
        }

        private void end(State reached) {
            if (state.compareAndSet(State.READING, reached)) {
                reading.remove(this);
                async.dispatch(); // on a container thread: goOn()
            }
        }

        /** The dispatch after the read: the request goes on with its body, or is refused. */
        void goOn(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (state.get() == State.REFUSED) {
                refuseStopping(response);
                return;
            }
            chain.doFilter(new BufferedBody(request, bytes.toByteArray()), response);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (state.compareAndSet(State.READING, State.TIMED_OUT)) {
                answerAndClose(408, "Request timeout",
                        "the request body did not arrive within " + BODY_DEADLINE.toSeconds() + " s");
            }
        }

        private void answerAndClose(int status, String title, String detail) {
            reading.remove(this);
            try {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                if (!response.isCommitted()) {
                    response.setHeader(HttpHeaders.CONNECTION, "close");
                    Problems.write(response, status, title, detail);
                }
            } catch (IOException | IllegalStateException gone) {
                // the client is gone: nobody to answer
            } finally {
                async.complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            reading.remove(this);
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a later async cycle (a long poll) is none of ours
        }
    }

    /** The request as it came, with its body served from memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] into, int offset, int length) {
                    return in.read(into, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body has been read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }
    }
}
