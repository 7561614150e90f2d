package io.stupiddb.segments.bench;

import io.stupiddb.segments.testing.ServiceLauncher;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL as a real server, started by the bench in a temporary directory on a free port
 * (initdb + pg_ctl of the installed server, as the postgres OS user when the bench runs as root).
 * Table {@code docs(id uuid, ts timestamptz, doc jsonb) PARTITION BY RANGE (ts)}, one partition
 * per hour, primary key (id, ts) in every partition; ingest by COPY (CSV) in one transaction per
 * batch; retention = DROP TABLE of the oldest partition. Durable: synchronous_commit = on
 * (fsync on commit); not durable: synchronous_commit = off for the session (fsync stays on, a
 * crash loses the last commits but not consistency).
 */
final class PostgresPeer implements Peer {
    static final Path BIN = Path.of(System.getProperty("pg.bin", "/usr/lib/postgresql/15/bin"));
    static final String SETTINGS = String.join("\n",
            "listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", "fsync = on",
            "synchronous_commit = on", "full_page_writes = on", "shared_buffers = 1GB", "max_wal_size = 4GB",
            "jit = off", "logging_collector = off");

    private final Dataset data;
    private final Path root;
    private final Path pgdata;
    private final int port;
    private Connection connection;
    private PreparedStatement getStatement;
    private String version = "?";

    PostgresPeer(Dataset data, Path root) throws Exception {
        this.data = data;
        this.root = root;
        this.pgdata = root.resolve("pgdata");
        this.port = ServiceLauncher.freePort();
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p = root.getParent(); p != null && p.getNameCount() > 0; p = p.getParent()) {
            if (p.toString().startsWith("/tmp/") || p.toString().startsWith("/var/tmp/")) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.createDirectories(pgdata);
        if (Sys.root()) {
            Sys.run(List.of("chown", "postgres:postgres", pgdata.toString()));
        }
        Sys.run(asPostgres(BIN.resolve("initdb").toString(), "-D", pgdata.toString(), "-A", "trust", "-U",
                "postgres", "-E", "UTF8", "--no-locale", "--no-sync"));
        Files.writeString(pgdata.resolve("postgresql.conf"), "\nport = " + port + "\n" + SETTINGS + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        start();
    }

    private static List<String> asPostgres(String... command) {
        List<String> full = new ArrayList<>();
        if (Sys.root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    /** Starts the server without waiting and polls until a connection answers. */
    private void start() throws Exception {
        Sys.run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", pgdata.toString(), "-l",
                pgdata.resolve("server.log").toString(), "-W", "start"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                connection = connect();
                break;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(5);
            }
        }
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            version = rs.getString(1);
        }
        getStatement = null;
    }

    private void stop() throws Exception {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        Sys.run(asPostgres(BIN.resolve("pg_ctl").toString(), "-D", pgdata.toString(), "-m", "fast", "-w", "stop"));
    }

    @Override
    public String name() {
        return "PostgreSQL " + version.replaceAll("^PostgreSQL ([0-9.]+).*", "$1");
    }

    private static String partition(int hour) {
        return "docs_h" + hour;
    }

    private int hours() {
        return (int) ((data.span + Dataset.HOUR - 1) / Dataset.HOUR) + 1;
    }

    @Override
    public void create(Path dir, boolean durable) throws Exception {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            createTable(s, "docs", "");
            s.execute("SET synchronous_commit = " + (durable ? "on" : "off"));
        }
        connection.setAutoCommit(false);
    }

    /**
     * (Re)creates {@code table} with the layout of {@code docs}: hourly partitions over the data
     * set's span, PK (id, ts); {@code idDefault} is the id column's DEFAULT clause, if any.
     */
    void createTable(Statement s, String table, String idDefault) throws SQLException {
        s.execute("DROP TABLE IF EXISTS " + table);
        s.execute("CREATE TABLE " + table + " (id uuid NOT NULL " + idDefault + ", ts timestamptz NOT NULL,"
                + " doc jsonb NOT NULL, PRIMARY KEY (id, ts)) PARTITION BY RANGE (ts)");
        String prefix = table.equals("docs") ? "docs_h" : table + "_h";
        for (int h = 0; h < hours(); h++) {
            s.execute("CREATE TABLE " + prefix + h + " PARTITION OF " + table + " FOR VALUES FROM ('"
                    + Instant.ofEpochMilli(data.start + h * Dataset.HOUR) + "') TO ('"
                    + Instant.ofEpochMilli(data.start + (h + 1) * Dataset.HOUR) + "')");
        }
    }

    /**
     * Turns autovacuum off for {@code table}'s partitions (made by {@link #createTable}): a table only
     * written to in a measurement, whose analyze would otherwise start in whatever runs a minute later.
     */
    void disableAutovacuum(Statement s, String table) throws SQLException {
        for (int h = 0; h < hours(); h++) {
            s.execute("ALTER TABLE " + table + "_h" + h + " SET (autovacuum_enabled = false)");
        }
    }

    /** A new connection to this server (autocommit on), for clients beside the peer's own. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    int port() {
        return port;
    }

    @Override
    public void ingest(List<Dataset.Doc> batch) throws Exception {
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY docs (id, ts, doc) FROM STDIN (FORMAT csv)",
                new ByteArrayInputStream(csv(batch, true)));
        connection.commit();
    }

    /** The batch as COPY CSV rows: (id,) ts, doc. */
    static byte[] csv(List<Dataset.Doc> batch, boolean withId) {
        ByteArrayOutputStream csv = new ByteArrayOutputStream(batch.size() * 1200);
        for (Dataset.Doc doc : batch) {
            if (withId) {
                csv.writeBytes(doc.id().toString().getBytes(StandardCharsets.US_ASCII));
                csv.write(',');
            }
            csv.writeBytes(Instant.ofEpochMilli(doc.timestamp()).toString().getBytes(StandardCharsets.US_ASCII));
            csv.write(',');
            csv.write('"');
            for (byte b : doc.json()) {
                if (b == '"') {
                    csv.write('"');
                }
                csv.write(b);
            }
            csv.write('"');
            csv.write('\n');
        }
        return csv.toByteArray();
    }

    @Override
    public String settle() throws Exception {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute("VACUUM ANALYZE docs");
            s.execute("CHECKPOINT");
        }
        return "VACUUM ANALYZE + CHECKPOINT";
    }

    @Override
    public long diskBytes() throws Exception {
        return Sys.du(pgdata);
    }

    @Override
    public long tableBytes() throws Exception {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'docs'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public boolean get(int index, Dataset.Doc ref) throws Exception {
        if (getStatement == null) {
            connection.setAutoCommit(true);
            getStatement = connection.prepareStatement(QuerySet.SQL_GET);
        }
        getStatement.setObject(1, new UUID(ref.idMsb(), ref.idLsb()));
        getStatement.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(ref.timestamp()), ZoneOffset.UTC));
        try (ResultSet rs = getStatement.executeQuery()) {
            return rs.next() && rs.getString(1) != null;
        }
    }

    @Override
    public long[] scan(long from, long to) throws Exception {
        return rows(QuerySet.SQL_SCAN, OffsetDateTime.ofInstant(Instant.ofEpochMilli(from), ZoneOffset.UTC),
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(to), ZoneOffset.UTC));
    }

    @Override
    public long[] needle(String traceId) throws Exception {
        return rows(QuerySet.SQL_NEEDLE, traceId);
    }

    @Override
    public long countServerErrors() throws Exception {
        try (PreparedStatement s = connection.prepareStatement(QuerySet.SQL_COUNT); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs a query of (id, doc) rows through a cursor, every row to the client; {rows, characters of doc}. */
    private long[] rows(String sql, Object... parameters) throws Exception {
        connection.setAutoCommit(false); // a cursor: rows stream in batches of fetch size
        long matches = 0;
        long bytes = 0;
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setFetchSize(1000);
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    matches++;
                    bytes += rs.getString(2).length();
                }
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
        return new long[] {matches, bytes};
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    @Override
    public void reopen() throws Exception {
        start();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
        }
    }

    @Override
    public String evictOldestHour(long from, long to) throws Exception {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE " + partition(0));
        }
        return "DROP TABLE " + partition(0) + " (files truncated at commit, unlinked at the next checkpoint)";
    }

    @Override
    public Path dataDir() {
        return pgdata;
    }

    /** Sum of VmHWM over the postmaster and its children (shared buffers are counted once per process that touched them). */
    @Override
    public long serverPeakRssKb() throws Exception {
        long postmaster = Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).getFirst().trim());
        long sum = 0;
        for (long pid : Sys.processTree(postmaster)) {
            sum += Math.max(0, Sys.vmHwmKb(pid));
        }
        return sum;
    }

    @Override
    public void drop(boolean last) throws Exception {
        if (last) {
            stop();
            Sys.deleteAll(root);
        } else {
            connection.setAutoCommit(true);
            try (Statement s = connection.createStatement()) {
                s.execute("DROP TABLE IF EXISTS docs");
                s.execute("CHECKPOINT");
            }
        }
    }

    /** Runs one statement in its own transaction (autocommit); the rows it changed (DeleteBench). */
    long execute(String sql) throws Exception {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            return s.executeLargeUpdate(sql);
        }
    }

    @Override
    public String describe() {
        return version.replaceAll(" on .*", "") + " server (Debian package), " + SETTINGS.replace("\n", ", ")
                + "; hourly partitions, PK (id, ts); COPY csv per batch";
    }
}
