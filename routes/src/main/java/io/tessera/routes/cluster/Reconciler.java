package io.tessera.routes.cluster;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep every node runs each {@code cluster.reconcileEvery}: beats the node registry, and republishes the claimed
 * study versions that no live lease and no recent publication covers (a worker died, or a node died between a claim
 * and its publication). It replaces a single node's start-up requeue: in a cluster, a node that starts must not take
 * back what live nodes are processing. Of several nodes sweeping at once, one republishes each version.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private final Publications publications;
    private final StudyQueue queue;
    private final NodeRegistry nodes;
    private final String node;
    private final List<String> roles;

    public Reconciler(Publications publications, StudyQueue queue, NodeRegistry nodes, String node, List<String> roles) {
        this.publications = publications;
        this.queue = queue;
        this.nodes = nodes;
        this.node = node;
        this.roles = List.copyOf(roles);
    }

    /** One sweep; returns how many versions it republished. */
    public int sweep() {
        nodes.beat(node, roles);
        int republished = 0;
        for (StudyVersion v : publications.orphans()) {
            if (!publications.republish(v)) continue; // another node's sweep took it
            if (queue.republish(v)) {
                log.info("study {} v{}: claimed but held by no live lease; republished", v.studyUid(), v.version());
                republished++;
            } else {
                publications.unpublished(v); // not on the queue after all: the next sweep tries again
            }
        }
        return republished;
    }
}
