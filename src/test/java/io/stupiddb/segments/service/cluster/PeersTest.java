package io.stupiddb.segments.service.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeersTest {

    @Test
    void parsesTheChartsFormat() {
        Peers peers =
                Peers.parse(1, "0=http://segment-store-0.segment-store-headless:8080, 1=http://b:8080/ ,2=https://c");
        assertTrue(peers.clustered());
        assertEquals(Set.of(0, 1, 2), peers.all());
        assertEquals(URI.create("http://b:8080"), peers.uri(1));
        assertEquals(List.of(0, 2), List.copyOf(peers.others().keySet()));
    }

    @Test
    void noPeersOrOnlySelfIsASingleNode() {
        assertFalse(Peers.parse(0, null).clustered());
        assertFalse(Peers.parse(0, " ").clustered());
        assertFalse(Peers.parse(0, "0=http://localhost:8080").clustered());
        assertEquals(Set.of(0), Peers.parse(0, null).all());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0",
                "x=http://a",
                "0=http://a,0=http://b",
                "1024=http://a",
                "-1=http://a",
                "0=ftp://a",
                "0=a:8080",
                "0=http://"
            })
    void badValuesNameTheKey(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Peers.parse(0, text));
        assertTrue(e.getMessage().startsWith("segments.cluster.peers: "), e.getMessage());
    }
}
