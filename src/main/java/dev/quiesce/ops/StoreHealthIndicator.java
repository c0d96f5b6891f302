package dev.quiesce.ops;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.quiesce.lifecycle.StoreHealth;

/**
 * The {@code store} health contributor, in the readiness group: {@code UP}, or {@code OUT_OF_SERVICE} while the
 * store does not answer, so that a load balancer sends work elsewhere (liveness leaves it out: a restart does
 * not mend a database). From memory: a health check never waits on the store. It replaces Spring Boot's
 * {@code db} indicator, which queries the database on every check.
 */
final class StoreHealthIndicator implements HealthIndicator {

    private final StoreHealth storeHealth;

    StoreHealthIndicator(StoreHealth storeHealth) {
        this.storeHealth = storeHealth;
    }

    @Override
    public Health health() {
        StoreHealth.Condition condition = storeHealth.condition();
        Health.Builder health = condition.state() == StoreHealth.State.UP ? Health.up() : Health.outOfService();
        return health.withDetail("since", condition.since().toString()).build();
    }
}
