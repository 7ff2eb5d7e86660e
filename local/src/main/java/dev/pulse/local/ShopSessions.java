package dev.pulse.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Shop sessions as product events, one JSON record at a time, in the shape of
 * {@code samples/01-eventstream-shop-events.yaml}: {@code event}, {@code user_id}, {@code ts}
 * (epoch millis), {@code platform}, {@code country}, {@code product_id}, {@code quantity},
 * {@code amount}.
 *
 * <p>Many sessions run interleaved. A session may start with a {@code signup} (a new user), views
 * products, puts some in the cart, may clear the cart, starts checkout, and often purchases. About
 * {@link #LATE_SHARE} of the events carry a time minutes in the past (late for one-minute windows
 * with a minute of allowed lateness), and {@link #MALFORMED_SHARE} are malformed on purpose (not
 * JSON, missing or mistyped fields).
 */
final class ShopSessions {
    static final double LATE_SHARE = 0.01;
    static final double MALFORMED_SHARE = 0.005;
    static final String[] PLATFORMS = {"ios", "android", "web"};
    private static final double[] PLATFORM_WEIGHTS = {0.35, 0.30, 0.35};
    static final String[] COUNTRIES = {"US", "DE", "FR", "GB", "JP", "BR", "IN"};
    private static final double[] COUNTRY_WEIGHTS = {0.34, 0.16, 0.12, 0.12, 0.10, 0.08, 0.08};
    private static final int CONCURRENT_SESSIONS = 60;

    /** What one record is, for the tests and the counters. */
    enum Kind { VALID, LATE, MALFORMED }

    /** A record and what kind it is; {@code key} is the actor (so one user's events stay in order on a partition). */
    record ShopRecord(String key, String json, Kind kind, String event) {
    }

    private final Random random;
    private final LongSupplier clock;
    private final List<Session> sessions = new ArrayList<>();
    private int nextUser;

    ShopSessions(long seed, LongSupplier clock) {
        this.random = new Random(seed);
        this.clock = clock;
        this.nextUser = 1000;
    }

    /** The next record. */
    ShopRecord next() {
        if (random.nextDouble() < MALFORMED_SHARE) {
            return malformed();
        }
        while (sessions.size() < CONCURRENT_SESSIONS) {
            sessions.add(newSession());
        }
        int i = random.nextInt(sessions.size());
        Session s = sessions.get(i);
        String event = s.nextEvent();
        if (s.done) {
            sessions.remove(i);
        }
        long now = clock.getAsLong();
        boolean late = random.nextDouble() < LATE_SHARE;
        long ts = late ? now - 120_000 - random.nextInt(480_000) : now - random.nextInt(2_000);
        StringBuilder b = new StringBuilder(160);
        b.append("{\"event\":\"").append(event).append("\",\"user_id\":\"").append(s.user).append("\",\"ts\":").append(ts)
                .append(",\"platform\":\"").append(s.platform).append("\",\"country\":\"").append(s.country).append('"');
        if (!event.equals("signup") && !event.equals("cart_cleared")) {
            b.append(",\"product_id\":\"").append(s.product).append('"');
        }
        if (event.equals("add_to_cart") || event.equals("purchase") || event.equals("checkout_start")) {
            b.append(",\"quantity\":").append(s.quantity);
        }
        if (event.equals("purchase") || event.equals("checkout_start")) {
            b.append(",\"amount\":").append(s.amount());
        }
        b.append('}');
        return new ShopRecord(s.user, b.toString(), late ? Kind.LATE : Kind.VALID, event);
    }

    private Session newSession() {
        boolean newUser = random.nextDouble() < 0.08;
        String user = "u-" + (newUser ? nextUser++ : random.nextInt(Math.max(nextUser, 1000)));
        return new Session(user, pick(PLATFORMS, PLATFORM_WEIGHTS), pick(COUNTRIES, COUNTRY_WEIGHTS), newUser);
    }

    private String pick(String[] values, double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private ShopRecord malformed() {
        long now = clock.getAsLong();
        String user = "u-" + random.nextInt(1000);
        String json = switch (random.nextInt(6)) {
            case 0 -> "not json at all";
            case 1 -> "{\"event\":\"purchase\",\"user_id\":\"" + user + "\"}";
            case 2 -> "{\"event\":\"product_view\",\"user_id\":\"" + user + "\",\"ts\":\"yesterday\"}";
            case 3 -> "{\"event\":\"purchase\",\"user_id\":\"" + user + "\",\"ts\":" + now + ",\"amount\":\"12.5\"}";
            case 4 -> "{\"event\":\"add_to_cart\",\"user_id\":\"" + user + "\",\"ts\":" + now + ",\"quantity\":1.5}";
            default -> "{\"event\":\"purchase\",\"user_id\":\"" + user + "\",\"ts\":" + now;
        };
        return new ShopRecord(user, json, Kind.MALFORMED, null);
    }

    /** One visit: a small state machine from arrival to leaving. */
    private final class Session {
        final String user;
        final String platform;
        final String country;
        boolean signupPending;
        int viewsLeft;
        int cartItems;
        String state = "browse";
        String product;
        int quantity = 1;
        boolean done;

        Session(String user, String platform, String country, boolean newUser) {
            this.user = user;
            this.platform = platform;
            this.country = country;
            this.signupPending = newUser;
            this.viewsLeft = 1 + random.nextInt(6);
            this.product = product();
        }

        String product() {
            return "p-" + (100 + random.nextInt(400));
        }

        String amount() {
            double unit = Math.exp(2.5 + random.nextGaussian() * 0.9);
            double total = Math.min(5000, Math.max(1, unit * quantity));
            return Double.toString(Math.round(total * 100) / 100.0);
        }

        String nextEvent() {
            if (signupPending) {
                signupPending = false;
                return "signup";
            }
            switch (state) {
                case "browse":
                    product = product();
                    viewsLeft--;
                    if (random.nextDouble() < 0.35) {
                        state = "carting";
                    } else if (viewsLeft <= 0) {
                        state = cartItems > 0 ? "cart" : "leave";
                    }
                    return "product_view";
                case "carting":
                    cartItems++;
                    quantity = 1 + (random.nextDouble() < 0.2 ? random.nextInt(3) : 0);
                    state = viewsLeft > 0 && random.nextDouble() < 0.4 ? "browse" : "cart";
                    return "add_to_cart";
                case "cart":
                    double r = random.nextDouble();
                    if (r < 0.08) {
                        cartItems = 0;
                        state = viewsLeft > 0 ? "browse" : "leave";
                        return "cart_cleared";
                    }
                    if (r < 0.65) {
                        state = "checkout";
                        return "checkout_start";
                    }
                    done = true;
                    return "product_view";
                case "checkout":
                    done = true;
                    if (random.nextDouble() < 0.7) {
                        return "purchase";
                    }
                    return "product_view";
                default:
                    done = true;
                    return "product_view";
            }
        }
    }
}
