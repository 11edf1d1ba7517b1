package io.gaggle.spring.autoconfigure;

import io.gaggle.spring.autoconfigure.GaggleEndpoint.LeadershipTransferDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@link GaggleEndpoint} over HTTP: a leadership transfer that fails answers 409 Conflict, so
 * that a pre-stop hook such as {@code curl -f -X POST .../actuator/gaggle} can tell.
 */
@EndpointWebExtension(endpoint = GaggleEndpoint.class)
public class GaggleEndpointWebExtension {

    /** The HTTP status of a transfer that failed: the node's state does not allow it now. */
    static final int STATUS_CONFLICT = 409;

    private final GaggleEndpoint endpoint;

    /**
     * @param endpoint the endpoint this extends
     */
    public GaggleEndpointWebExtension(GaggleEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** As {@link GaggleEndpoint#transferLeadership(String)}, with 409 if leadership did not move. */
    @WriteOperation
    public WebEndpointResponse<LeadershipTransferDescriptor> transferLeadership(@Nullable String target) {
        LeadershipTransferDescriptor outcome = this.endpoint.transferLeadership(target);
        return new WebEndpointResponse<>(outcome,
                outcome.transferred() ? WebEndpointResponse.STATUS_OK : STATUS_CONFLICT);
    }
}
