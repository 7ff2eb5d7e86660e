package dev.pulse.operator.platform;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * The operator's Kubernetes HTTP client (Quarkus' Vert.x one, found through the same
 * {@link ServiceLoader} lookup fabric8 makes), with WebSockets that receive a message split
 * into several frames.
 *
 * <p>Why: fabric8 7.3's Vert.x WebSocket asks for one more <em>frame</em> after each message
 * (fabric8 issue 7347, fixed in 7.6.1 and 7.7). A watch event that arrives in more than one
 * frame, after the first message of the watch, then never completes, and that watch delivers
 * nothing again, without an error or a reconnect: its informer keeps serving what it had. A
 * Kubernetes API server sends an event in one frame; the in-memory API of {@code pulse local}
 * and of the operator's tests (fabric8's mock server) splits every message over 64 KiB into
 * frames of 64 KiB, and a plan ConfigMap of about 70 Metrics is that large. So the analyses never
 * saw the plans of most streams of a bulk apply, and kept {@code PlanPending}
 * (docs/benchmarks.md, "Operator at scale").
 *
 * <p>How: after each message the listener asks for the next one with {@link WebSocket#request()};
 * here that asks for up to {@link #FRAMES_PER_MESSAGE} frames, enough for a message of 16 MiB in
 * 64 KiB frames. The Vert.x WebSocket pauses when a whole message has arrived (which drops the
 * unused demand), so still one message is delivered per request. Drop this class once fabric8 is
 * at 7.6.1 or later.
 */
public final class WholeMessageWebSockets implements HttpClient.Factory {
    /** Frames asked for per message: 16 MiB in frames of 64 KiB. */
    static final int FRAMES_PER_MESSAGE = 256;

    private final HttpClient.Factory delegate;

    public WholeMessageWebSockets() {
        this(next());
    }

    WholeMessageWebSockets(HttpClient.Factory delegate) {
        this.delegate = delegate;
    }

    /** The factory fabric8 would pick without this one: the highest priority of the others. */
    private static HttpClient.Factory next() {
        // by provider type, before instantiating: this one's constructor would look again
        List<HttpClient.Factory> others = ServiceLoader.load(HttpClient.Factory.class, WholeMessageWebSockets.class.getClassLoader()).stream()
                .filter(p -> p.type() != WholeMessageWebSockets.class).map(ServiceLoader.Provider::get).toList();
        return others.stream().max(Comparator.comparingInt(HttpClient.Factory::priority))
                .orElseThrow(() -> new IllegalStateException("no fabric8 HttpClient.Factory besides " + WholeMessageWebSockets.class.getName()));
    }

    /** Above the one it wraps, so fabric8's lookup picks this one. */
    @Override
    public int priority() {
        return delegate.priority() + 1;
    }

    @Override
    public HttpClient.Builder newBuilder(Config config) {
        return new Builder(delegate.newBuilder(config));
    }

    @Override
    public HttpClient.Builder newBuilder() {
        return new Builder(delegate.newBuilder());
    }

    private record Builder(HttpClient.Builder delegate) implements HttpClient.Builder {
        @Override
        public HttpClient build() {
            return new Client(delegate.build());
        }

        @Override
        public HttpClient.Builder connectTimeout(long connectTimeout, TimeUnit unit) {
            delegate.connectTimeout(connectTimeout, unit);
            return this;
        }

        @Override
        public HttpClient.Builder addOrReplaceInterceptor(String name, Interceptor interceptor) {
            delegate.addOrReplaceInterceptor(name, interceptor);
            return this;
        }

        @Override
        public HttpClient.Builder authenticatorNone() {
            delegate.authenticatorNone();
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
            delegate.sslContext(keyManagers, trustManagers);
            return this;
        }

        @Override
        public HttpClient.Builder followAllRedirects() {
            delegate.followAllRedirects();
            return this;
        }

        @Override
        public HttpClient.Builder proxyAddress(InetSocketAddress proxyAddress) {
            delegate.proxyAddress(proxyAddress);
            return this;
        }

        @Override
        public HttpClient.Builder proxyAuthorization(String credentials) {
            delegate.proxyAuthorization(credentials);
            return this;
        }

        @Override
        public HttpClient.Builder tlsVersions(TlsVersion... tlsVersions) {
            delegate.tlsVersions(tlsVersions);
            return this;
        }

        @Override
        public HttpClient.Builder preferHttp11() {
            delegate.preferHttp11();
            return this;
        }

        @Override
        public HttpClient.Builder proxyType(HttpClient.ProxyType type) {
            delegate.proxyType(type);
            return this;
        }

        @Override
        public HttpClient.Builder tag(Object value) {
            delegate.tag(value);
            return this;
        }
    }

    private record DerivedBuilder(HttpClient.DerivedClientBuilder delegate) implements HttpClient.DerivedClientBuilder {
        @Override
        public HttpClient build() {
            return new Client(delegate.build());
        }

        @Override
        public HttpClient.DerivedClientBuilder addOrReplaceInterceptor(String name, Interceptor interceptor) {
            delegate.addOrReplaceInterceptor(name, interceptor);
            return this;
        }

        @Override
        public HttpClient.DerivedClientBuilder authenticatorNone() {
            delegate.authenticatorNone();
            return this;
        }

        @Override
        public HttpClient.DerivedClientBuilder tag(Object value) {
            delegate.tag(value);
            return this;
        }
    }

    private record Client(HttpClient delegate) implements HttpClient {
        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public DerivedClientBuilder newBuilder() {
            return new DerivedBuilder(delegate.newBuilder());
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, Class<T> type) {
            return delegate.sendAsync(request, type);
        }

        @Override
        public CompletableFuture<HttpResponse<AsyncBody>> consumeBytes(HttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            return delegate.consumeBytes(request, consumer);
        }

        @Override
        public WebSocket.Builder newWebSocketBuilder() {
            return new WebSocketBuilder(delegate.newWebSocketBuilder());
        }

        @Override
        public HttpRequest.Builder newHttpRequestBuilder() {
            return delegate.newHttpRequestBuilder();
        }

        @Override
        public boolean isClosed() {
            return delegate.isClosed();
        }
    }

    private record WebSocketBuilder(WebSocket.Builder delegate) implements WebSocket.Builder {
        @Override
        public CompletableFuture<WebSocket> buildAsync(WebSocket.Listener listener) {
            Listener whole = new Listener(listener);
            return delegate.buildAsync(whole).thenApply(whole::wrap);
        }

        @Override
        public WebSocket.Builder subprotocol(String protocol) {
            delegate.subprotocol(protocol);
            return this;
        }

        @Override
        public WebSocket.Builder header(String name, String value) {
            delegate.header(name, value);
            return this;
        }

        @Override
        public WebSocket.Builder setHeader(String k, String v) {
            delegate.setHeader(k, v);
            return this;
        }

        @Override
        public WebSocket.Builder uri(URI uri) {
            delegate.uri(uri);
            return this;
        }

        @Override
        public WebSocket.Builder connectTimeout(long timeout, TimeUnit timeUnit) {
            delegate.connectTimeout(timeout, timeUnit);
            return this;
        }
    }

    /** Hands the listener a WebSocket whose {@link WebSocket#request()} asks for a whole message. */
    private static final class Listener implements WebSocket.Listener {
        private final WebSocket.Listener delegate;
        private volatile WholeMessages socket;

        Listener(WebSocket.Listener delegate) {
            this.delegate = delegate;
        }

        WebSocket wrap(WebSocket raw) {
            WholeMessages s = socket;
            if (s == null || s.delegate() != raw) {
                s = new WholeMessages(raw);
                socket = s;
            }
            return s;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            delegate.onOpen(wrap(webSocket));
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            delegate.onMessage(wrap(webSocket), text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteBuffer bytes) {
            delegate.onMessage(wrap(webSocket), bytes);
        }

        @Override
        public void onClose(WebSocket webSocket, int code, String reason) {
            delegate.onClose(wrap(webSocket), code, reason);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            delegate.onError(wrap(webSocket), error);
        }
    }

    private record WholeMessages(WebSocket delegate) implements WebSocket {
        @Override
        public boolean send(ByteBuffer buffer) {
            return delegate.send(buffer);
        }

        @Override
        public boolean sendClose(int code, String reason) {
            return delegate.sendClose(code, reason);
        }

        @Override
        public long queueSize() {
            return delegate.queueSize();
        }

        @Override
        public void request() {
            for (int i = 0; i < FRAMES_PER_MESSAGE; i++) {
                delegate.request();
            }
        }
    }
}
