package io.stupiddb.segments.deploy;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.stupiddb.segments.deploy.Manifests.KubeObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.stupiddb.segments.deploy.Chart.FULLNAME;
import static io.stupiddb.segments.deploy.Chart.values;
import static io.stupiddb.segments.deploy.StoreInvariants.all;
import static io.stupiddb.segments.deploy.StoreInvariants.appContainer;
import static io.stupiddb.segments.deploy.StoreInvariants.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's cold tier (README "Cold tier on object storage"): bucket settings reach the pods as
 * SEGMENTS_ARCHIVE_* variables, credentials come from a Secret (envFrom) or from IRSA / workload
 * identity through an annotated ServiceAccount, and the schema refuses an s3 target without a
 * bucket.
 */
class HelmColdTierTest {

    private static List<KubeObject> render(Map<String, Object> values) {
        List<KubeObject> objects = Manifests.validateAll(Chart.render(values));
        StoreInvariants.assertStoreDeployment(objects, HelmChartRenderTest::fqdnPeerHost);
        return objects;
    }

    @Test
    void byDefaultNoBucketNoSecretNoServiceAccount() {
        List<KubeObject> objects = render(values());
        V1StatefulSet sts = single(objects, V1StatefulSet.class);
        assertTrue(all(objects, V1ServiceAccount.class).isEmpty());
        assertNull(sts.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals(1, appContainer(sts).getEnvFrom().size(), "the ConfigMap only");
        assertTrue(single(objects, V1ConfigMap.class).getData().keySet().stream()
                .noneMatch(k -> k.startsWith("SEGMENTS_ARCHIVE_TARGET")));
    }

    @Test
    void aBucketWithCredentialsFromASecret() {
        List<KubeObject> objects = render(values(
                "segments.archiveAfter", "1d",
                "segments.archiveTarget", "s3",
                "segments.archiveS3Bucket", "segment-archive",
                "segments.archiveS3Endpoint", "http://minio.minio:9000",
                "segments.archiveS3PathStyle", true,
                "coldTier.credentialsSecret", "segment-store-s3"));
        Map<String, String> data = single(objects, V1ConfigMap.class).getData();
        assertEquals("s3", data.get("SEGMENTS_ARCHIVE_TARGET"));
        assertEquals("segment-archive", data.get("SEGMENTS_ARCHIVE_S3_BUCKET"));
        assertEquals("http://minio.minio:9000", data.get("SEGMENTS_ARCHIVE_S3_ENDPOINT"));
        assertEquals("true", data.get("SEGMENTS_ARCHIVE_S3_PATH_STYLE"));
        List<V1EnvFromSource> envFrom =
                appContainer(single(objects, V1StatefulSet.class)).getEnvFrom();
        assertEquals("segment-store-s3", envFrom.get(1).getSecretRef().getName());
    }

    @Test
    void irsaThroughAnAnnotatedServiceAccount() {
        String role = "arn:aws:iam::123456789012:role/segment-store";
        List<KubeObject> objects = render(values(
                "segments.archiveTarget",
                "s3",
                "segments.archiveS3Bucket",
                "segment-archive",
                "serviceAccount.create",
                true,
                "serviceAccount.annotations",
                Map.of("eks.amazonaws.com/role-arn", role)));
        V1ServiceAccount account = single(objects, V1ServiceAccount.class);
        assertEquals(FULLNAME, account.getMetadata().getName());
        assertEquals(role, account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"));
        V1StatefulSet sts = single(objects, V1StatefulSet.class);
        assertEquals(FULLNAME, sts.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals(1, appContainer(sts).getEnvFrom().size(), "no credentials Secret with IRSA");
    }

    @Test
    void anS3TargetWithoutABucketIsRefusedByTheSchema() {
        var failure =
                assertThrows(IllegalStateException.class, () -> Chart.render(values("segments.archiveTarget", "s3")));
        assertTrue(failure.getMessage().contains("archiveS3Bucket"), failure::getMessage);
        assertThrows(
                IllegalStateException.class,
                () -> Chart.render(values("segments.archiveTarget", "gcs", "segments.archiveS3Bucket", "b-1")));
    }
}
