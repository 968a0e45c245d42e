package io.tessera.routes.cluster;

import io.tessera.config.RouteConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * A study's JMS priority (0-9, default 4) from the routes: the highest {@code priority} among the routes that can take
 * studies from its calling AE title ({@code match.callingAeTitle} absent or equal), as the quiet period is chosen. A
 * route's priority 0 is JMS 4; each step up or down moves one, clamped to 0..9, so an urgent route's studies overtake
 * routine ones waiting in the queue.
 */
public final class MessagePriority implements ToIntFunction<String> {
    public static final int DEFAULT = 4;
    private final List<RouteConfig> routes;
    private final Map<String, Integer> cache = new ConcurrentHashMap<>();

    public MessagePriority(List<RouteConfig> routes) {
        this.routes = List.copyOf(routes);
    }

    @Override
    public int applyAsInt(String callingAe) {
        return cache.computeIfAbsent(callingAe == null ? "" : callingAe.trim(), this::compute);
    }

    private int compute(String ae) {
        Integer highest = null;
        for (RouteConfig r : routes) {
            String wanted = r.matchOrAny().callingAeTitle();
            if (wanted == null || wanted.trim().equalsIgnoreCase(ae)) {
                highest = highest == null ? r.priorityOrDefault() : Math.max(highest, r.priorityOrDefault());
            }
        }
        return highest == null ? DEFAULT : Math.max(0, Math.min(9, DEFAULT + highest));
    }
}
