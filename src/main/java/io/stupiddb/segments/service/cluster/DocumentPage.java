package io.stupiddb.segments.service.cluster;

import io.stupiddb.segments.segment.StoredDocument;

import java.util.List;
import java.util.Optional;

/**
 * One page of a scan (SPEC §2): the documents in id order and the cursor to ask for the next
 * page with, empty when the scan is complete. A node that answers alone gives its stored
 * documents; a cluster scan gives the merged API JSON of every node, and the nodes it had to
 * leave out ({@code partial=true}).
 */
public sealed interface DocumentPage {

    /** The encoded cursor of the next page; empty on the last page. */
    Optional<String> next();

    /** The nodes whose documents are missing from this page; empty unless the scan was partial. */
    List<Integer> missing();

    /**
     * The archived segments of this node left out because the object store could not serve them;
     * empty unless the scan was partial (a merged page does not know those of other nodes).
     */
    default List<String> skipped() {
        return List.of();
    }

    /** This node's documents only. */
    record Local(List<StoredDocument> documents, Optional<String> next, List<String> skipped) implements DocumentPage {
        public Local {
            documents = List.copyOf(documents);
            skipped = List.copyOf(skipped);
        }

        @Override
        public List<Integer> missing() {
            return List.of();
        }
    }

    /** Every answering node's documents, merged in id order, as the API JSON each node wrote. */
    record Merged(List<ClusterScan.Line> documents, Optional<String> next, List<Integer> missing)
            implements DocumentPage {
        public Merged {
            documents = List.copyOf(documents);
            missing = List.copyOf(missing);
        }
    }
}
