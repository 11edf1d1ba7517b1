package io.gaggle.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds the node to the {@code info} endpoint under {@code gaggle}: its id, cluster size, channel
 * and current role, so that an operator can tell the nodes of a cluster apart.
 */
public class GaggleInfoContributor implements InfoContributor {

    private final Gaggle node;

    /**
     * @param node the node to describe
     */
    public GaggleInfoContributor(Gaggle node) {
        this.node = node;
    }

    @Override
    public void contribute(Info.Builder builder) {
        GaggleStatus status = this.node.getStatus();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", status.id());
        details.put("clusterSize", status.clusterSize());
        details.put("channel", status.channel());
        details.put("role", status.role());
        builder.withDetail("gaggle", details);
    }
}
