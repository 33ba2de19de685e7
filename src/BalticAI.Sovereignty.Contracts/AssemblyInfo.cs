namespace BalticAI.Sovereignty.Contracts;
