// The shared classification: the runtime's user-error types are user errors, a bug is not; messages collapse to one
// line without .NET's parameter tails; the host CLI and the trainer CLI use the same exit codes.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Tests.Runtime.Core.Errors;

[TestFixture]
public sealed class UserErrorsTests
{
    [Test]
    public void User_errors_and_bugs_are_told_apart()
    {
        Exception[] user = [new InvalidImageException("x"), new ImageMismatchException("x"), new InvalidModelException("m", "x"),
            new InferenceException("x"), new FileNotFoundException("x"), new ArgumentException("x")];
        Exception[] bugs = [new NullReferenceException(), new IndexOutOfRangeException(), new NotImplementedException()];

        Assert.That(user.Where(e => !UserErrors.IsUserError(e)), Is.Empty);
        Assert.That(bugs.Where(UserErrors.IsUserError), Is.Empty);
        Assert.That(VaeOnnx.Trainer.Cli.TrainerErrors.IsUserError(new InvalidImageException("x")), Is.True, "the trainer builds on the same list");
        Assert.That(VaeOnnx.Trainer.Cli.TrainerErrors.IsUserError(new NullReferenceException()), Is.False);
    }

    [Test]
    public void Messages_become_one_line_and_exit_codes_agree()
    {
        var e = new ArgumentOutOfRangeException("count", 5, "count must be 1 to 4\nper call.");
        Assert.That(UserErrors.OneLine(e.Message), Is.EqualTo("count must be 1 to 4 per call."));
        Assert.That((VaeOnnx.Runtime.Host.Cli.CliCommand.UserError, VaeOnnx.Runtime.Host.Cli.CliCommand.InternalError),
            Is.EqualTo((VaeOnnx.Trainer.Cli.ExitCodes.UserError, VaeOnnx.Trainer.Cli.ExitCodes.InternalError)));
        Assert.That(VaeOnnx.Trainer.Cli.ExitCodes.InternalError, Is.EqualTo(70));
    }
}
