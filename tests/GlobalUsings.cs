global using NUnit.Framework;
global using VaeOnnx.Runtime.Core.Randomness;
