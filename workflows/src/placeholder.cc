// Placeholder so the module's library exists before its first source lands. Remove it then.
namespace rubrica::workflows {}
