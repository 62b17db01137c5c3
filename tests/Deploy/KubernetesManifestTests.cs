// deploy/kubernetes/ checked against the service it deploys (no cluster runs here): the manifests parse (YamlDotNet)
// into the five objects kustomization.yaml lists; the probes, the port and the Prometheus annotations name paths the
// real service app answers (ServeHost on a TestServer with models/mnist-conv) on the port the image listens on; every
// ConfigMap key is a VaeServingOptions setting whose value binds, validates and reaches the options; the image is the
// one scripts/build-image.sh builds; the pod runs as the image's non-root user on a read-only root; the selectors match;
// the grace period outlasts the drain.
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Tests.Runtime.AspNetCore;
using VaeOnnx.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace VaeOnnx.Tests.Deploy;

[TestFixture]
public sealed class KubernetesManifestTests
{
    private static string Folder => Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes");

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Folder, file));
        stream.Load(reader);
        Assert.That(stream.Documents, Has.Count.EqualTo(1), $"{file} holds one object");
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            node = key.StartsWith('[')
                ? ((YamlSequenceNode)node).Children[int.Parse(key[1..^1])]
                : ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child)
                    ? child
                    : throw new AssertionException($"no '{key}' in {string.Join('.', path)}");
        }
        return node;
    }

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value ?? "";

    private static YamlMappingNode Deployment => Load("deployment.yaml");

    private static YamlNode Container => At(Deployment, "spec", "template", "spec", "containers", "[0]");

    private static Dictionary<string, string> Limits =>
        ((YamlMappingNode)At(Load("configmap.yaml"), "data")).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

    [Test]
    public void The_kustomization_lists_the_five_objects_and_each_parses()
    {
        var resources = ((YamlSequenceNode)At(Load("kustomization.yaml"), "resources")).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray();
        Assert.That(resources, Is.EquivalentTo(Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml")));
        var kinds = resources.ToDictionary(file => file, file => (Text(Load(file), "apiVersion"), Text(Load(file), "kind")));
        TestContext.Out.WriteLine(string.Join("\n", kinds.Select(k => $"{k.Key}: {k.Value}")));
        Assert.That(kinds.Values, Is.EquivalentTo(new[]
        {
            ("v1", "ConfigMap"), ("apps/v1", "Deployment"), ("v1", "Service"),
            ("autoscaling/v2", "HorizontalPodAutoscaler"), ("policy/v1", "PodDisruptionBudget"),
        }));
    }

    [Test]
    public async Task Probes_and_scrape_annotations_name_paths_the_service_answers_on_the_images_port()
    {
        Assert.That(Text(Container, "ports", "[0]", "name"), Is.EqualTo("http"));
        string port = Text(Container, "ports", "[0]", "containerPort");
        string dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "container", "Dockerfile"));
        Assert.That(dockerfile, Does.Contain($"ASPNETCORE_HTTP_PORTS={port}").And.Contain($"EXPOSE {port}"), "the pod's port is the one the image listens on");
        var annotations = At(Deployment, "spec", "template", "metadata", "annotations");
        Assert.That(Text(annotations, "prometheus.io/scrape"), Is.EqualTo("true"));
        Assert.That(Text(annotations, "prometheus.io/port"), Is.EqualTo(port));

        var paths = new Dictionary<string, string>
        {
            ["startupProbe"] = Text(Container, "startupProbe", "httpGet", "path"),
            ["livenessProbe"] = Text(Container, "livenessProbe", "httpGet", "path"),
            ["readinessProbe"] = Text(Container, "readinessProbe", "httpGet", "path"),
            ["prometheus.io/path"] = Text(annotations, "prometheus.io/path"),
        };
        foreach (string probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            Assert.That(Text(Container, probe, "httpGet", "port"), Is.EqualTo("http"), $"{probe} asks the service's port");
        Assert.That(paths["livenessProbe"], Is.EqualTo(VaeOnnx.Runtime.Host.Serving.HealthProbe.LivenessPath), "liveness is what the image's HEALTHCHECK asks");

        await using var app = await ServingApp.StartAsync(Path.Combine(RepositoryPaths.Root, "models", "mnist-conv"));
        foreach (var (what, path) in paths)
        {
            using var answer = await app.Client.GetAsync(path);
            TestContext.Out.WriteLine($"{what}: GET {path} -> {(int)answer.StatusCode}");
            Assert.That((int)answer.StatusCode, Is.EqualTo(200), $"{what} asks {path}");
        }
        Assert.That(paths["readinessProbe"], Is.EqualTo("/readyz"), "readiness follows the model's load, not only the process");
        Assert.That(await app.Client.GetStringAsync(paths["prometheus.io/path"]), Does.Contain("vaeonnx_model_ready 1"));
    }

    [Test]
    public void Every_configmap_key_is_a_serving_option_that_binds_and_validates()
    {
        var limits = Limits;
        Assert.That(limits.Keys, Has.All.StartWith(VaeServingOptions.SectionName + "__"));
        var settable = typeof(VaeServingOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToHashSet();
        foreach (string key in limits.Keys)
            Assert.That(settable, Does.Contain(key[(VaeServingOptions.SectionName.Length + 2)..]), $"{key} is not a VaeServingOptions setting");

        // As the container reads them: environment variables, "__" meaning ':'.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(limits.Select(l => KeyValuePair.Create(l.Key.Replace("__", ":", StringComparison.Ordinal), (string?)l.Value)))
            .Build();
        var options = new VaeServingOptions();
        configuration.GetSection(VaeServingOptions.SectionName).Bind(options);
        Assert.DoesNotThrow(options.Validate);
        foreach (var (key, value) in limits)
        {
            var property = typeof(VaeServingOptions).GetProperty(key[(VaeServingOptions.SectionName.Length + 2)..])!;
            Assert.That(Convert.ToString(property.GetValue(options), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(value), $"{key} reached the options");
        }
        Assert.That(Text(Container, "envFrom", "[0]", "configMapRef", "name"), Is.EqualTo(Text(Load("configmap.yaml"), "metadata", "name")));
        Assert.That(options.MaxConcurrentInference, Is.LessThanOrEqualTo(int.Parse(Text(Container, "resources", "limits", "cpu"))),
            "one inference thread per slot: no more slots than the CPU limit");
    }

    [Test]
    public void The_image_is_the_one_the_container_check_builds()
    {
        string script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "scripts", "build-image.sh"));
        string name = Regex.Match(script, "^image_name=(?<name>\\S+)$", RegexOptions.Multiline).Groups["name"].Value;
        Assert.That(name, Is.Not.Empty, "scripts/build-image.sh names the image in image_name=");
        string image = $"{name}:{Packaging.PackageFeed.VersionPrefix}";
        Assert.That(Text(Container, "image"), Is.EqualTo(image));
        var kustomized = At(Load("kustomization.yaml"), "images", "[0]");
        Assert.That((Text(kustomized, "name"), Text(kustomized, "newTag")), Is.EqualTo((name, Packaging.PackageFeed.VersionPrefix)));
        Assert.That(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "scripts", "container-check.sh")), Does.Contain("scripts/build-image.sh"));
    }

    [Test]
    public void The_pod_runs_as_the_images_non_root_user_on_a_read_only_root()
    {
        string dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "container", "Dockerfile"));
        string uid = Regex.Match(dockerfile, "^ARG APP_UID=(?<uid>\\d+)$", RegexOptions.Multiline).Groups["uid"].Value;
        var pod = At(Deployment, "spec", "template", "spec", "securityContext");
        Assert.That((Text(pod, "runAsNonRoot"), Text(pod, "runAsUser")), Is.EqualTo(("true", uid)));
        Assert.That(uid, Is.Not.EqualTo("0").And.Not.Empty);
        var container = At(Container, "securityContext");
        Assert.That(Text(container, "readOnlyRootFilesystem"), Is.EqualTo("true"));
        Assert.That(Text(container, "allowPrivilegeEscalation"), Is.EqualTo("false"));
        Assert.That(Text(container, "capabilities", "drop", "[0]"), Is.EqualTo("ALL"));
        Assert.That(Text(Deployment, "spec", "template", "spec", "automountServiceAccountToken"), Is.EqualTo("false"));
        foreach (string resource in new[] { "requests", "limits" })
            Assert.That(((YamlMappingNode)At(Container, "resources", resource)).Children.Keys.Select(k => k.ToString()), Is.EquivalentTo(new[] { "cpu", "memory" }));
    }

    [Test]
    public void Selectors_match_the_pods_and_the_grace_period_outlasts_the_drain()
    {
        var podLabels = (YamlMappingNode)At(Deployment, "spec", "template", "metadata", "labels");
        void Selects(YamlNode selector, string what)
        {
            foreach (var (key, value) in ((YamlMappingNode)selector).Children)
                Assert.That(podLabels.Children.TryGetValue(key, out var label) && label.ToString() == value.ToString(), Is.True, $"{what} selects {key}={value}");
        }
        Selects(At(Deployment, "spec", "selector", "matchLabels"), "the Deployment");
        Selects(At(Load("service.yaml"), "spec", "selector"), "the Service");
        Selects(At(Load("pdb.yaml"), "spec", "selector", "matchLabels"), "the PodDisruptionBudget");
        Assert.That(Text(Load("service.yaml"), "spec", "ports", "[0]", "targetPort"), Is.EqualTo("http"));

        var hpa = Load("hpa.yaml");
        Assert.That((Text(hpa, "spec", "scaleTargetRef", "kind"), Text(hpa, "spec", "scaleTargetRef", "name")), Is.EqualTo(("Deployment", Text(Deployment, "metadata", "name"))));
        Assert.That(int.Parse(Text(hpa, "spec", "minReplicas")), Is.GreaterThan(int.Parse(Text(Load("pdb.yaml"), "spec", "minAvailable"))),
            "a node drain can evict a replica and still keep the budget");

        int grace = int.Parse(Text(Deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"));
        int preStop = int.Parse(Text(Container, "lifecycle", "preStop", "sleep", "seconds"));
        var drain = TimeSpan.Parse(Limits["VaeServing__ShutdownTimeout"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(grace, Is.GreaterThan(preStop + drain.TotalSeconds), "SIGKILL comes only after the pause and the drain");
    }
}
