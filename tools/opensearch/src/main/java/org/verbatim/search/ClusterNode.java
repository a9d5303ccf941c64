package org.verbatim.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One node of the development/CI search cluster, in its own JVM.
 *
 * The published server jar has no plugin loader outside its distribution layout, so the
 * node is built with Node's protected constructor that takes plugins found on the
 * classpath: the same classes the distribution loads from its modules/ directory.
 *
 * Usage: ClusterNode NUMBER NODES DIR HTTP_PORT TRANSPORT_PORT
 *   NUMBER          1..NODES; node 1 is the cluster manager, the others hold data only,
 *                   so any other node can stop and come back without an election.
 *   DIR             the cluster's directory; this node keeps data and logs in DIR/node-NUMBER.
 *   HTTP_PORT       node NUMBER listens for HTTP on HTTP_PORT + NUMBER - 1.
 *   TRANSPORT_PORT  likewise for node-to-node transport.
 */
public final class ClusterNode {
    private static final List<Class<? extends Plugin>> PLUGINS =
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, MapperExtrasPlugin.class);

    /** Node's constructor with classpath plugins is protected: this subclass only opens it. */
    private static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment) {
            super(environment, PLUGINS, true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ClusterNode NUMBER NODES DIR HTTP_PORT TRANSPORT_PORT");
            System.exit(2);
        }
        int number = Integer.parseInt(args[0]);
        int nodes = Integer.parseInt(args[1]);
        Path home = Path.of(args[2], "node-" + number).toAbsolutePath();
        int httpPort = Integer.parseInt(args[3]);
        int transportPort = Integer.parseInt(args[4]);
        Files.createDirectories(home.resolve("config"));

        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            seeds.add("127.0.0.1:" + (transportPort + i));
        }
        String name = "node-" + number;
        Settings settings = Settings.builder()
            .put("cluster.name", "verbatim-search")
            .put("node.name", name)
            .putList("node.roles", number == 1 ? List.of("cluster_manager", "data", "ingest") : List.of("data", "ingest"))
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort + number - 1)
            .put("transport.port", transportPort + number - 1)
            .putList("discovery.seed_hosts", seeds)
            .putList("cluster.initial_cluster_manager_nodes", List.of("node-1"))
            // Python's elasticsearch 7 client reads the version it is talking to.
            .put("compatibility.override_main_response_version", true)
            // A laptop or CI disk is often fuller than the production watermarks allow.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(name);
        LogConfigurator.configureWithoutConfig(settings);

        Node node = new ClasspathNode(new Environment(settings, home.resolve("config")));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "verbatim-node-shutdown"));
        node.start();
        System.out.println(name + " started: http://127.0.0.1:" + (httpPort + number - 1));
        stopped.await();
    }
}
