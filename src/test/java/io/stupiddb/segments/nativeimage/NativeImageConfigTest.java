package io.stupiddb.segments.nativeimage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;
import org.msgpack.core.buffer.MessageBuffer;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The native-image configuration cannot be exercised here (no GraalVM or Mandrel on these
 * machines), so this test checks what can be checked without one, against the very jars the
 * build uses: every class, field and constructor named in {@code jni-config.json} and
 * {@code reflect-config.json} exists with that signature; the JNI registration covers every
 * class and field name that zstd-jni's bundled library looks up; the {@code %native} keys of
 * application.properties match the zstd-jni jar (the FFM classes removed, the library resources
 * included, run-time initialization); the {@code native} Maven profile activates them; and every
 * view record of the API is registered for reflection. A typo, a library upgrade that renames
 * something, or a new view without registration fails the build.
 * <p>
 * zstd classes are checked in the jar's base (JNI) version, which the native build compiles once
 * the {@code META-INF/versions/22} (FFM) classes are removed, not the version this JVM loads.
 */
class NativeImageConfigTest {
    private static final String CONFIG_DIR = "META-INF/native-image/io.stupiddb/segment-store/";
    private static final String REMOVED_RESOURCES =
            "%native.quarkus.class-loading.removed-resources.\"com.github.luben:zstd-jni\"";
    /** Field names zstd-jni's C code reads or writes with GetFieldID (found in the library's strings). */
    private static final Set<String> JNI_FIELD_NAMES = Set.of("nativePtr", "srcPos", "dstPos", "consumed", "produced");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static JsonNode config(String name) throws IOException {
        try (InputStream in = NativeImageConfigTest.class.getClassLoader().getResourceAsStream(CONFIG_DIR + name)) {
            assertNotNull(in, CONFIG_DIR + name + " on the classpath");
            JsonNode node = JSON.readTree(in);
            assertTrue(node.isArray() && !node.isEmpty(), name + " is a non-empty JSON array");
            return node;
        }
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in =
                NativeImageConfigTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        return properties;
    }

    /**
     * The class file a native build compiles: zstd-jni's base (non-versioned) entry, else the class
     * as this JVM's class loader finds it (other libraries, the JDK).
     */
    private static ClassModel classModel(String className) throws Exception {
        String entry = className.replace('.', '/') + ".class";
        try (JarFile zstd = new JarFile(jarOf(Zstd.class).toFile())) { // base version: no multi-release lookup
            JarEntry base = zstd.getJarEntry(entry);
            if (base != null) {
                try (InputStream in = zstd.getInputStream(base)) {
                    return ClassFile.of().parse(in.readAllBytes());
                }
            }
        }
        try (InputStream in = ClassLoader.getSystemClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                fail("class " + className + " does not exist");
            }
            return ClassFile.of().parse(in.readAllBytes());
        }
    }

    private static ClassDesc typeDesc(String name) {
        if (name.endsWith("[]")) {
            return typeDesc(name.substring(0, name.length() - 2)).arrayType();
        }
        return switch (name) {
            case "boolean" -> ConstantDescs.CD_boolean;
            case "byte" -> ConstantDescs.CD_byte;
            case "char" -> ConstantDescs.CD_char;
            case "short" -> ConstantDescs.CD_short;
            case "int" -> ConstantDescs.CD_int;
            case "long" -> ConstantDescs.CD_long;
            case "float" -> ConstantDescs.CD_float;
            case "double" -> ConstantDescs.CD_double;
            default -> ClassDesc.of(name);
        };
    }

    /** Every class, field and method of a legacy-format config file exists as named. */
    private static void assertAllExist(String file) throws Exception {
        for (JsonNode type : config(file)) {
            String className = type.path("name").asText();
            assertFalse(className.isEmpty(), file + ": an entry without a name: " + type);
            ClassModel model = classModel(className);
            for (JsonNode field : type.path("fields")) {
                String name = field.path("name").asText();
                assertTrue(
                        model.fields().stream().anyMatch(f -> f.fieldName().equalsString(name)),
                        file + ": " + className + " has no field " + name);
            }
            for (JsonNode method : type.path("methods")) {
                String name = method.path("name").asText();
                List<ClassDesc> parameters = new ArrayList<>();
                method.path("parameterTypes").forEach(p -> parameters.add(typeDesc(p.asText())));
                assertTrue(
                        model.methods().stream()
                                .anyMatch(m -> m.methodName().equalsString(name)
                                        && m.methodTypeSymbol().parameterList().equals(parameters)),
                        file + ": " + className + " has no method " + name
                                + parameters.stream()
                                        .map(ClassDesc::displayName)
                                        .collect(Collectors.joining(", ", "(", ")")));
            }
        }
    }

    @Test
    void everyClassFieldAndMethodNamedInTheConfigExists() throws Exception {
        assertAllExist("jni-config.json");
        assertAllExist("reflect-config.json");
        // The classes msgpack-core picks its buffer with, by name, in MessageBuffer's static initializer.
        Set<String> reflective = new HashSet<>();
        config("reflect-config.json").forEach(t -> reflective.add(t.path("name").asText()));
        for (String name : List.of("MessageBuffer", "MessageBufferU", "MessageBufferBE")) {
            assertTrue(reflective.contains(MessageBuffer.class.getPackageName() + "." + name), name);
        }
    }

    @Test
    void jniRegistrationCoversWhatTheZstdLibraryLooksUp() throws Exception {
        Map<String, Set<String>> registeredFields = new HashMap<>();
        Map<String, Set<String>> registeredMethods = new HashMap<>();
        for (JsonNode type : config("jni-config.json")) {
            String name = type.path("name").asText();
            type.path("fields")
                    .forEach(f -> registeredFields
                            .computeIfAbsent(name, k -> new TreeSet<>())
                            .add(f.path("name").asText()));
            type.path("methods")
                    .forEach(m -> registeredMethods
                            .computeIfAbsent(name, k -> new TreeSet<>())
                            .add(m.path("name").asText()));
        }
        String library;
        try (JarFile zstd = new JarFile(jarOf(Zstd.class).toFile())) {
            String version = zstd.getManifest().getMainAttributes().getValue("Implementation-Version");
            JarEntry so = zstd.getJarEntry("linux/amd64/libzstd-jni-" + version + ".so");
            assertNotNull(so, "zstd-jni " + version + " bundles linux/amd64/libzstd-jni-" + version + ".so");
            try (InputStream in = zstd.getInputStream(so)) {
                library = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }

            // Classes the library finds by name (FindClass) are registered, with their constructors.
            Matcher classNames = Pattern.compile("(?:com/github/luben|java/lang)/[A-Za-z0-9_/$]+")
                    .matcher(library);
            Set<String> found = new TreeSet<>();
            while (classNames.find()) {
                found.add(classNames.group().replace('/', '.'));
            }
            assertFalse(found.isEmpty(), "class names in the library");
            for (String name : found) {
                assertTrue(
                        registeredMethods.getOrDefault(name, Set.of()).contains("<init>"),
                        "the library looks up " + name + ": its constructor must be in jni-config.json");
            }

            // Every field of a zstd class that the library reads or writes is registered.
            for (String field : JNI_FIELD_NAMES) {
                assertTrue(library.contains(field + "\0"), "the library names field " + field);
            }
            for (JarEntry entry : zstd.stream().toList()) {
                String path = entry.getName();
                if (!path.startsWith("com/github/luben/zstd/") || !path.endsWith(".class")) {
                    continue; // base (JNI) classes only
                }
                ClassModel model;
                try (InputStream in = zstd.getInputStream(entry)) {
                    model = ClassFile.of().parse(in.readAllBytes());
                }
                String className = model.thisClass().asSymbol().packageName() + "."
                        + model.thisClass().asSymbol().displayName();
                for (FieldModel field : model.fields()) {
                    String name = field.fieldName().stringValue();
                    if (JNI_FIELD_NAMES.contains(name) && !className.endsWith("ZstdFrameProgression")) {
                        assertTrue(
                                registeredFields
                                        .getOrDefault(className, Set.of())
                                        .contains(name),
                                className + "." + name
                                        + " is accessed from native code: register it in jni-config.json");
                    }
                }
                if (model.methods().stream().anyMatch(m -> m.flags().has(java.lang.reflect.AccessFlag.NATIVE))) {
                    assertTrue(
                            library.contains(
                                    "Java_" + className.replace('.', '_').replace("$", "_00024")),
                            className + " has native methods the library implements");
                }
            }
        }
    }

    @Test
    void theNativeBuildCompilesTheJniBindingOfZstd() throws Exception {
        Properties properties = applicationProperties();
        String removed = properties.getProperty(REMOVED_RESOURCES);
        assertNotNull(removed, REMOVED_RESOURCES + " in application.properties");
        Set<String> configured =
                Arrays.stream(removed.split(",")).map(String::strip).collect(Collectors.toCollection(TreeSet::new));
        Set<String> versioned;
        try (JarFile zstd = new JarFile(jarOf(Zstd.class).toFile())) {
            versioned = zstd.stream()
                    .map(JarEntry::getName)
                    .filter(n -> n.startsWith("META-INF/versions/") && n.endsWith(".class"))
                    .collect(Collectors.toCollection(TreeSet::new));
            // Without the versioned entries the base classes must stand alone: none refers to a
            // class that only exists in the FFM version (ZstdBinding and its helpers).
            Set<String> ffmOnly = versioned.stream()
                    .map(e -> e.replaceFirst("^META-INF/versions/\\d+/", ""))
                    .filter(base -> zstd.getJarEntry(base) == null)
                    .map(base -> base.substring(0, base.length() - ".class".length()))
                    .collect(Collectors.toSet());
            assertFalse(ffmOnly.isEmpty(), "the FFM binding classes exist only in the versioned part");
            for (JarEntry entry : zstd.stream().toList()) {
                if (entry.getName().startsWith("com/github/luben/zstd/")
                        && entry.getName().endsWith(".class")) {
                    try (InputStream in = zstd.getInputStream(entry)) {
                        for (var constant :
                                ClassFile.of().parse(in.readAllBytes()).constantPool()) {
                            if (constant instanceof java.lang.classfile.constantpool.ClassEntry type) {
                                assertFalse(
                                        ffmOnly.contains(type.asInternalName()),
                                        entry.getName() + " refers to the FFM-only " + type.asInternalName());
                            }
                        }
                    }
                }
            }
        }
        assertFalse(versioned.isEmpty(), "zstd-jni has FFM classes (if not any more, drop the removal)");
        assertEquals(
                versioned, configured, "exactly zstd-jni's versioned (FFM) classes are removed from the native build");
    }

    @Test
    void nativeResourcesAndBuildArgumentsMatchTheJars() throws Exception {
        Properties properties = applicationProperties();
        String includes = properties.getProperty("%native.quarkus.native.resources.includes");
        assertNotNull(includes);
        try (JarFile zstd = new JarFile(jarOf(Zstd.class).toFile())) {
            List<String> entries = zstd.stream().map(JarEntry::getName).toList();
            for (String glob : includes.split(",")) {
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.strip());
                assertTrue(
                        entries.stream().anyMatch(e -> matcher.matches(Path.of(e))),
                        glob + " matches a zstd-jni entry");
            }
            // The exact resource com.github.luben.zstd.util.Native asks for on linux/amd64.
            String version = zstd.getManifest().getMainAttributes().getValue("Implementation-Version");
            Path wanted = Path.of("linux/amd64/libzstd-jni-" + version + ".so");
            assertTrue(
                    Arrays.stream(includes.split(","))
                            .anyMatch(g -> FileSystems.getDefault()
                                    .getPathMatcher("glob:" + g.strip())
                                    .matches(wanted)),
                    wanted + " is included");
        }

        List<String> args = Arrays.stream(properties
                        .getProperty("%native.quarkus.native.additional-build-args", "")
                        .split(","))
                .map(String::strip)
                .toList();
        for (String required : List.of(
                "--initialize-at-run-time=com.github.luben.zstd",
                "--initialize-at-run-time=org.msgpack.core.buffer",
                "-H:+SharedArenaSupport")) {
            assertTrue(args.contains(required), required + " in " + args);
        }
        int shared = args.indexOf("-H:+SharedArenaSupport");
        assertEquals("-H:+UnlockExperimentalVMOptions", args.get(shared - 1), "experimental option unlocked");
        for (String arg : args) {
            if (arg.startsWith("--initialize-at-run-time=")) {
                String pkg = arg.substring(arg.indexOf('=') + 1).replace('.', '/') + "/";
                boolean exists = Set.of(jarOf(Zstd.class), jarOf(MessageBuffer.class)).stream()
                        .anyMatch(jar -> {
                            try (JarFile file = new JarFile(jar.toFile())) {
                                return file.stream()
                                        .anyMatch(e -> e.getName().startsWith(pkg)
                                                && e.getName().endsWith(".class"));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                assertTrue(exists, arg + " names a package with classes");
            }
        }
    }

    @Test
    void theNativeMavenProfileActivatesTheNativeConfigProfile() throws Exception {
        var pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (profile.getElementsByTagName("id").item(0).getTextContent().equals("native")) {
                assertEquals(
                        "true",
                        profile.getElementsByTagName("quarkus.native.enabled")
                                .item(0)
                                .getTextContent());
                assertEquals(
                        "prod,native",
                        profile.getElementsByTagName("quarkus.profile").item(0).getTextContent());
                return;
            }
        }
        fail("no native profile in pom.xml");
    }

    @Test
    void everyViewRecordOfTheApiIsRegisteredForReflection() {
        List<String> missing = new ArrayList<>();
        int records = 0;
        for (JavaClass type : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.stupiddb.segments.api")) {
            if (type.isRecord() && !type.getModifiers().contains(JavaModifier.PRIVATE)) {
                records++;
                if (!type.isAnnotatedWith(RegisterForReflection.class)) {
                    missing.add(type.getName());
                }
            }
        }
        assertTrue(records >= 8, "Views' records and Problem found: " + records);
        assertEquals(List.of(), missing, "records the API serializes need @RegisterForReflection for the native image");
    }
}
