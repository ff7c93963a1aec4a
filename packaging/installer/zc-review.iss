; Inno Setup script: a Windows installer for the one-folder build (Inno Setup 6).
;
;   pyinstaller --noconfirm packaging\zc-review.spec          (makes dist\zc-review\)
;   iscc /DAppVersion=0.1.0 packaging\installer\zc-review.iss (makes dist\zc-review-0.1.0-setup.exe)
;
; Installs per user by default (no administrator rights needed on an expert's laptop) and
; keeps user data (%LOCALAPPDATA%\ZCReview\zc-review) on uninstall: reviews and signed
; opinions must survive a reinstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define SrcDir "..\..\dist\zc-review"

[Setup]
AppId={{6C1B3B8E-7C55-4E0B-9B8A-2D5F0E2A9C31}
AppName=众创社区评审工作站 ZC Review
AppVersion={#AppVersion}
AppPublisher=ZC Review
DefaultDirName={autopf}\ZC Review
DefaultGroupName=众创社区评审工作站
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=zc-review-{#AppVersion}-setup
SetupIconFile=..\icons\zc-review.ico
UninstallDisplayIcon={app}\zc-review.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
; ChineseSimplified.isl ships with current Inno Setup 6 releases; with an older one, add it from the
; Inno Setup translations page or drop this line.
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SrcDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\众创社区评审工作站"; Filename: "{app}\zc-review.exe"
Name: "{group}\{cm:UninstallProgram,ZC Review}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\众创社区评审工作站"; Filename: "{app}\zc-review.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\zc-review.exe"; Description: "{cm:LaunchProgram,ZC Review}"; Flags: nowait postinstall skipifsilent
