package io.gaggle.sample;

import java.util.List;

import io.gaggle.Gaggle;
import io.gaggle.GaggleStatus;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * This node's state for the page at {@code /}, which polls every node of the cluster: so the
 * endpoint allows cross-origin reads, the nodes being on different ports.
 */
@RestController
class ClusterStatusController {

    private final Gaggle gaggle;

    private final LeadershipHistory leadership;

    private final List<Integer> peerPorts;

    ClusterStatusController(Gaggle gaggle, LeadershipHistory leadership,
            @Value("${sample.peer-ports}") List<Integer> peerPorts) {
        this.gaggle = gaggle;
        this.leadership = leadership;
        this.peerPorts = peerPorts;
    }

    @CrossOrigin
    @GetMapping("/api/status")
    NodeStatus status() {
        return new NodeStatus(this.gaggle.getStatus(), this.leadership.terms(), this.peerPorts);
    }

    /**
     * @param node the node's Gaggle status
     * @param leaders the latest terms' leaders as this node learned of them, oldest first
     * @param peerPorts the HTTP ports of every node, this one included
     */
    record NodeStatus(GaggleStatus node, List<LeadershipHistory.Term> leaders, List<Integer> peerPorts) {
    }
}
